"""Every periodic schedule, declared in one place and written to django-celery-beat's
tables after migrate (and by `manage.py sync_schedules`). Administrators may then change
times or switch a schedule off in the admin; a later sync keeps their changes unless it is
run with --reset.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    description: str = ""


SCHEDULES: list[Schedule] = [
    Schedule(
        name="Calendar coverage check",
        task="workdays.calendar_coverage_reminder",
        minute="0",
        hour="9",
        description="Warn administrators while this or next year's holidays are not confirmed (CAL-01).",
    ),
    Schedule(
        name="Background export files cleanup",
        task="core.export_sweep",
        minute="40",
        hour="3",
        description="Delete the files of background exports finished more than EXPORT_KEEP_DAYS days ago.",
    ),
    Schedule(
        name="Rate-limit counts cleanup",
        task="core.purge_rate_limit_counts",
        minute="17",
        description="Hourly: delete the rate-limit counts kept in PostgreSQL while Redis was down, once their "
        "window has ended.",
    ),
]


def add(schedule: Schedule) -> None:
    """For apps declaring their schedules in AppConfig.ready()."""
    if all(existing.name != schedule.name for existing in SCHEDULES):
        SCHEDULES.append(schedule)


def sync_schedules(*, reset: bool = False) -> tuple[int, int]:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = updated = 0
    for schedule in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_week=schedule.day_of_week,
            day_of_month=schedule.day_of_month,
            month_of_year=schedule.month_of_year,
            timezone=settings.TIME_ZONE,
        )
        task = PeriodicTask.objects.filter(name=schedule.name).first()
        if task is None:
            PeriodicTask.objects.create(
                name=schedule.name, task=schedule.task, crontab=crontab, description=schedule.description
            )
            created += 1
        elif task.task != schedule.task and not reset:
            # Which task a schedule runs is code (a renamed task); its timing is the admin's.
            task.task = schedule.task
            task.save(update_fields=["task"])
            updated += 1
        elif reset:
            task.task, task.crontab, task.description, task.enabled = schedule.task, crontab, schedule.description, True
            task.interval = None
            task.save(update_fields=["task", "crontab", "interval", "description", "enabled"])
            updated += 1
    return created, updated


def sync_schedules_after_migrate(**kwargs) -> None:
    sync_schedules()
