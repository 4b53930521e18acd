"""One beat for sure (JOB-09): a second beat waits for the lock; the holder never sends a job twice.

The schedulers here are the real ones against the test database; only the last step, handing
the job to the broker, is recorded instead."""

import pytest
from django.core.cache import cache
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler

from crm_project import celery_app
from crm_project.core.beat import TICK_CACHE_KEY, WAIT_SECONDS, BeatLock, SingleBeatScheduler, last_tick_age

pytestmark = pytest.mark.django_db(transaction=True)


class Recording:
    """Records the job it would hand to the broker (a job name no worker knows, so Celery's
    scheduler sends it by name, through here)."""

    def __init__(self, *args, **kwargs):
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)

    def send_task(self, name, *args, headers=None, **kwargs):
        self.sent.append(headers["periodic_task_name"])


class RecordingScheduler(Recording, SingleBeatScheduler):
    pass


@pytest.fixture
def every_minute(db):
    """A job due now: every minute, last run an hour ago."""
    PeriodicTask.objects.all().delete()
    crontab = CrontabSchedule.objects.create(minute="*", hour="*", timezone="Asia/Shanghai")
    task = PeriodicTask.objects.create(name="Probe", task="tests.beat-probe", crontab=crontab)
    PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=task.date_changed.replace(year=2000))
    return task


@pytest.fixture
def schedulers():
    made = []

    def make():
        scheduler = RecordingScheduler(app=celery_app)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.close()


def _run(scheduler, ticks: int = 5) -> None:
    for _ in range(ticks):
        scheduler.tick()


def test_the_second_beat_waits_and_takes_over_when_the_first_is_gone(every_minute, schedulers):
    """JOB-09: two beats started by mistake: only the lock holder sends; the other waits, and
    takes over (reading the schedule afresh) once the holder's connection is gone."""
    first, second = schedulers(), schedulers()
    _run(first)
    assert first.holding and first.sent == ["Probe"]
    assert second.tick() == WAIT_SECONDS
    _run(second)
    assert second.holding is False and second.sent == []

    first.beat_lock.release()  # as when its process dies: PostgreSQL drops the session's lock
    _run(second)
    assert second.holding
    # The first run's last run time was saved at once, so the job is not due again this minute.
    assert second.sent == []


def test_a_schedule_change_just_after_a_send_does_not_send_the_job_again(every_minute, schedulers):
    """JOB-09: an administrator's change (or another process's write) makes the scheduler rebuild
    its heap; the job it has just sent is not due again."""
    scheduler = schedulers()
    _run(scheduler, ticks=2)
    assert scheduler.sent == ["Probe"]
    PeriodicTasks.update_changed()
    _run(scheduler)
    assert scheduler.sent == ["Probe"]


def test_without_the_fix_the_plain_database_scheduler_would_send_it_twice(every_minute):
    """Why SingleBeatScheduler.reserve exists: django-celery-beat's own scheduler, same steps."""

    class Plain(Recording, DatabaseScheduler):
        pass

    scheduler = Plain(app=celery_app)
    try:
        _run(scheduler, ticks=2)
        scheduler._heap_invalidated = True  # what a schedule change does
        _run(scheduler)
        assert scheduler.sent == ["Probe", "Probe"]
    finally:
        scheduler.close()


def test_the_lock_is_per_installation_and_survives_nothing_but_its_connection(every_minute):
    """JOB-09: a lock taken is refused to another connection until released."""
    one, two = BeatLock(), BeatLock()
    try:
        assert one.held() and one.held()  # holding, checked again
        assert not two.held()
        one.release()
        assert two.held()
    finally:
        one.release()
        two.release()


def test_the_holder_records_its_tick_for_healthz(every_minute, schedulers):
    """JOB-09: /healthz tells how long ago the beat ticked; a waiting beat does not count."""
    cache.delete(TICK_CACHE_KEY)
    holder, waiting = schedulers(), schedulers()
    assert holder.tick() != WAIT_SECONDS
    assert last_tick_age() is not None and last_tick_age() < 5
    cache.delete(TICK_CACHE_KEY)
    assert waiting.tick() == WAIT_SECONDS
    assert last_tick_age() is None
