"""Reads from the read-only replica, where a page asks for it and nowhere else.

When DATABASE_REPLICA_URL is set there is a "replica" database. Only code running inside
`reads_from_replica()` — the dashboard and the read-only reports, which can bear the replica's
lag of a second or so — reads from it; everything else, and every write anywhere (the export
log of a report's Excel file, a settings row created on first use, `select_for_update`), goes to
"default". Without a replica the router sends everything to "default".

The switch is a context variable, so it holds for one request in one thread (gthread workers)
and never leaks into the next request, another thread or a Celery task.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_use_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


@contextmanager
def reads_from_replica() -> Iterator[None]:
    """Inside: reads go to the replica when one is configured. Also a decorator for views,
    `@reads_from_replica()`: the page must render inside it (`render()`, not a lazy
    TemplateResponse), or its template's queries read from default."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.databases


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _use_replica.get() and replica_configured() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # One database seen twice: a row read from the replica may point at one from default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
