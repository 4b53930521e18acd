from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "crm_project.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from . import access_rules  # noqa: F401
        from .navigation import register

        register()
        post_migrate.connect(_load_calendar_if_empty, sender=self)


def _load_calendar_if_empty(**kwargs) -> None:
    """The seeding migration fills the table once; this refills it after a flush (a
    transactional test, `manage.py flush`) so deadlines never silently fall back."""
    from .models import CalendarYear
    from .services import calendar_load_package_years

    if not CalendarYear.objects.exists():
        calendar_load_package_years()
