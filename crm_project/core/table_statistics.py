"""Planner statistics that keep up with bulk writes.

PostgreSQL plans from the statistics ANALYZE last took. A table analysed while nearly empty
(a fresh installation, the first statements of the month) and then filled by a bulk write is
planned as if it were still empty — nested loops over what are now a hundred thousand rows —
until autovacuum happens to analyse it, if it runs at all. A service that can grow a table by
orders of magnitude calls `analyze_if_grown` after its write, so its own next run does not
depend on that luck."""

from django.db import connection

GROWTH = 10  # analyse when the live rows are this many times what the statistics say
MIN_ROWS = 1_000  # below this, any plan is fast


def analyze_if_grown(*models) -> list[str]:
    """ANALYZE the tables of `models` whose rows have grown `GROWTH`-fold since their
    statistics were taken (or that were never analysed); returns the tables analysed."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE c.relname = ANY(%s) AND s.n_live_tup >= %s AND s.n_live_tup > %s * GREATEST(c.reltuples, 0)",
            [tables, MIN_ROWS, GROWTH],
        )
        grown = [row[0] for row in cursor.fetchall()]
        for table in grown:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return grown
