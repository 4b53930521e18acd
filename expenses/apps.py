from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpensesConfig(AppConfig):
    name = "expenses"
    verbose_name = _("Rapport fees")

    def ready(self) -> None:
        from . import access_rules, my_work, navigation, permissions_setup, schedules  # noqa: F401
