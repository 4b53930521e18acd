"""Connections to PostgreSQL (issue 16): psycopg 3's pool in each process when DB_POOL_MAX_SIZE
is set, persistent connections otherwise, PgBouncer's transaction pooling without server-side
cursors, and a replica alias with the same options. Settings are read at start-up, so each case
is a new process on the test database."""

import pytest

from tests.core.another_process import database_url, run_elsewhere

pytestmark = pytest.mark.django_db  # the test database exists; the other process uses it

DESCRIBE_THE_CONNECTION = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    one = cursor.fetchone()[0]
pool = connection.pool
found = {"one": one, "max_age": connection.settings_dict["CONN_MAX_AGE"],
         "health_checks": connection.settings_dict["CONN_HEALTH_CHECKS"], "pooled": pool is not None}
if pool is not None:
    found |= {"min": pool.min_size, "max": pool.max_size, "timeout": pool.timeout,
              "borrowed_from_the_pool": connection.connection._pool is pool}
    connection.close()  # the end of a request: the connection goes back to the pool, open
    found["idle_in_the_pool"] = pool.get_stats()["pool_available"]
print(json.dumps(found))
"""


def test_with_a_pool_size_each_process_borrows_from_psycopgs_pool():
    """A working pooled connection; Django's rule (CONN_MAX_AGE 0) kept, its health check off."""
    found = run_elsewhere(DESCRIBE_THE_CONNECTION, DB_POOL_MAX_SIZE="4")
    assert found == {
        "one": 1, "max_age": 0, "health_checks": False, "pooled": True, "min": 0, "max": 4, "timeout": 10.0,
        "borrowed_from_the_pool": True, "idle_in_the_pool": 1,
    }  # fmt: skip


def test_the_pools_bounds_and_wait_come_from_the_environment():
    found = run_elsewhere(DESCRIBE_THE_CONNECTION, DB_POOL_MAX_SIZE="6", DB_POOL_MIN_SIZE="2", DB_POOL_TIMEOUT="3")
    assert (found["min"], found["max"], found["timeout"]) == (2, 6, 3.0)
    # A minimum above the maximum is the maximum, not a pool that refuses to open.
    assert run_elsewhere(DESCRIBE_THE_CONNECTION, DB_POOL_MAX_SIZE="2", DB_POOL_MIN_SIZE="5")["min"] == 2


def test_without_a_pool_connections_persist_and_are_checked_before_reuse():
    found = run_elsewhere(DESCRIBE_THE_CONNECTION)
    assert found == {"one": 1, "max_age": 60, "health_checks": True, "pooled": False}
    assert run_elsewhere(DESCRIBE_THE_CONNECTION, DB_CONN_MAX_AGE="0")["max_age"] == 0


CURSOR_OF_AN_ITERATOR = """
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
with transaction.atomic():
    rows = ContentType.objects.iterator(chunk_size=1)
    next(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        named = cursor.fetchone()[0]
print(json.dumps({"server_side_cursors": named, "disabled": connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]}))
"""


def test_behind_pgbouncer_an_iterator_reads_without_a_server_side_cursor():
    """Transaction pooling may run the next statement on another server connection, where a
    named cursor does not exist."""
    assert run_elsewhere(CURSOR_OF_AN_ITERATOR) == {"server_side_cursors": 1, "disabled": False}
    assert run_elsewhere(CURSOR_OF_AN_ITERATOR, DB_PGBOUNCER="true") == {"server_side_cursors": 0, "disabled": True}


DESCRIBE_THE_REPLICA = """
from django.conf import settings
from django.db import connections, router
from crm_project.accounts.models import User
from crm_project.core.db_router import reads_from_replica
replica = settings.DATABASES.get("replica")
found = {"aliases": sorted(settings.DATABASES), "routers": settings.DATABASE_ROUTERS}
if replica:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
    with reads_from_replica():
        found["read_inside"] = router.db_for_read(User)
        found["write_inside"] = router.db_for_write(User)
    found |= {"read_outside": router.db_for_read(User), "mirror": replica["TEST"]["MIRROR"],
              "pool": replica["OPTIONS"].get("pool"), "max_age": replica["CONN_MAX_AGE"]}
print(json.dumps(found))
"""


def test_a_replica_url_adds_a_replica_with_the_same_options_and_the_router():
    routers = ["crm_project.core.db_router.ReplicaRouter"]
    assert run_elsewhere(DESCRIBE_THE_REPLICA) == {"aliases": ["default"], "routers": routers}
    found = run_elsewhere(DESCRIBE_THE_REPLICA, DATABASE_REPLICA_URL=database_url(), DB_POOL_MAX_SIZE="3")
    assert found == {
        "aliases": ["default", "replica"], "routers": routers, "read_inside": "replica", "write_inside": "default",
        "read_outside": "default", "mirror": "default", "pool": {"min_size": 0, "max_size": 3, "timeout": 10},
        "max_age": 0,
    }  # fmt: skip
