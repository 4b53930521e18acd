"""One beat for sure (JOB-09): the scheduler runs its schedules only while it holds a lock.

Two `celery beat` processes started by mistake, on one machine or two, would each send every
periodic job. `SingleBeatScheduler` is django-celery-beat's database scheduler behind a
PostgreSQL advisory lock, held on a connection of its own for as long as the process lives:
the second beat waits, checking every few seconds, and takes over within seconds of the first
one's death (PostgreSQL releases a session's lock when its connection ends, however it ends).
On taking over it reads the schedule again, with the last run times its predecessor saved
after each job it sent (CELERY_BEAT_SYNC_EVERY = 1).

Behind the lock, the jobs themselves are idempotent: a reminder is a notification with a
unique key, so a job sent twice (say the first beat died between sending it and saving its
last run) still reaches nobody twice.

The lock holder writes the time of its latest tick to the cache; /healthz reports its age.
"""

import contextlib
import logging
import time
import zlib

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django_celery_beat.schedulers import DatabaseScheduler

log = logging.getLogger(__name__)

TICK_CACHE_KEY = "beat:last-tick"
# How often a waiting beat tries the lock again: how long a schedule may go unserved after
# the holder dies.
WAIT_SECONDS = 5.0


def lock_key() -> int:
    """The advisory lock's number (advisory locks are per database): one per installation."""
    return zlib.crc32(f"{settings.REDIS_NAMESPACE}:celery-beat".encode())


class BeatLock:
    """A session-level PostgreSQL advisory lock on a connection of its own (not Django's, which
    the scheduler closes and reopens as it pleases)."""

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self.connection: psycopg.Connection | None = None

    def _connect(self) -> psycopg.Connection:
        parameters = connections[self.alias].get_connection_params()
        parameters.pop("pool", None)
        parameters.pop("cursor_factory", None)
        parameters.pop("context", None)
        return psycopg.connect(**parameters, autocommit=True, keepalives=1, keepalives_idle=30)

    def held(self) -> bool:
        """Whether this process holds the lock now, taking it if it is free."""
        if self.connection is not None:
            try:
                self.connection.execute("SELECT 1")
                return True
            except psycopg.Error:
                log.warning("beat: lost the database connection that held the beat lock")
                self.release()
        try:
            connection = self._connect()
            taken = connection.execute("SELECT pg_try_advisory_lock(%s)", [lock_key()]).fetchone()[0]
        except psycopg.Error:
            log.warning("beat: cannot reach the database to take the beat lock", exc_info=True)
            return False
        if not taken:
            connection.close()
            return False
        self.connection = connection
        return True

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(psycopg.Error):
                self.connection.close()
            self.connection = None


def record_tick() -> None:
    try:
        cache.set(TICK_CACHE_KEY, time.time(), timeout=None)
    except Exception:
        log.warning("beat: cannot record its tick in the cache", exc_info=True)


def last_tick_age() -> float | None:
    """Seconds since the beat holding the lock last ticked; None if no beat ever did."""
    ticked_at = cache.get(TICK_CACHE_KEY)
    return None if ticked_at is None else max(0.0, time.time() - float(ticked_at))


class SingleBeatScheduler(DatabaseScheduler):
    """CELERY_BEAT_SCHEDULER: django-celery-beat's scheduler, run only by the lock holder."""

    def __init__(self, *args, **kwargs):
        self.beat_lock = BeatLock()
        self.holding: bool | None = None  # not yet known
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        if not self.beat_lock.held():
            if self.holding is not False:
                log.info("beat: another beat holds the lock %s; waiting", lock_key())
            self.holding = False
            return WAIT_SECONDS
        if not self.holding:
            log.info("beat: holds the lock %s; running the schedules", lock_key())
            self.holding = True
            self._reread_schedule()
        record_tick()
        return super().tick(*args, **kwargs)

    def reserve(self, entry):
        """django-celery-beat leaves the entry it just sent in the schedule, with its old last
        run: a heap rebuilt from it (the schedule changed in the meantime) found the job due
        again and sent it twice. Celery's own schedulers keep the next entry instead, as here."""
        new_entry = super().reserve(entry)
        self._schedule[entry.name] = new_entry
        return new_entry

    def _reread_schedule(self) -> None:
        """Forget what this process read before it held the lock: its predecessor has run
        jobs since, and saved their last run times."""
        self._initial_read = True
        self._heap = None  # rebuilt from the fresh read on this tick

    def close(self):
        super().close()
        self.beat_lock.release()
