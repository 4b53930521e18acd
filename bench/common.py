# ruff: noqa: S608  (the SQL below is built from the scripts' own constants, never from input)
"""What the benchmark scripts share: a separate database, bulk loading on the server, and
percentiles. Imported by bench/customers.py and bench/statements.py (run from the repo root)."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            admin.execute(f'CREATE DATABASE "{database}"')
            print(f"created database {database}")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
    os.environ["DEBUG"] = "false"  # as in production: no query log, cached templates
    os.environ["CACHE_KEY_PREFIX"] = f"{database}-"
    # Jobs a bench queues (a background export) go to a queue of their own: no worker of the
    # development installation must take them to its database.
    os.environ["REDIS_NAMESPACE"] = database
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated {database} in {time.perf_counter() - started:.1f} s")
    # Without DEBUG, pages link the hashed files of collectstatic's manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def insert_select(cursor, model, exprs: dict[str, str], source: str) -> int:
    """INSERT INTO model's table SELECT … FROM source: the given SQL expressions, and for every
    other column its default, '' for blank text, NULL when nullable, now() for timestamps."""
    from django.db import models

    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in exprs:
            continue
        if field.column in exprs:
            value = exprs[field.column]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = "now()"
        elif field.has_default():
            value = "%s"
            params.append(field.get_db_prep_save(field.get_default(), cursor.db))
        elif field.null:
            value = "NULL"
        elif isinstance(field, models.CharField | models.TextField):
            value = "''"
        else:
            raise ValueError(f"no value for {model.__name__}.{field.name}")
        columns.append(f'"{field.column}"')
        values.append(value)
    unknown = set(exprs) - {field.column for field in model._meta.concrete_fields}
    if unknown:
        raise ValueError(f"unknown columns for {model.__name__}: {unknown}")
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}", params
    )
    return cursor.rowcount


def timed_step(name: str, function) -> None:
    """Run one loading step and print its rows and seconds."""
    started = time.perf_counter()
    rows = function()
    print(f"  {name:<24} {rows:>9,} rows {time.perf_counter() - started:6.1f} s", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]
