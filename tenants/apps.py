from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self) -> None:
        # Access rules, navigation, "My work" panels and schedules of the tenant service desk
        # (TEN-01 … TEN-04, TEN-09, TEN-11).
        from . import access_rules, my_work, navigation, schedules  # noqa: F401

        # isort: off
        from . import access_rules_visits, my_work_visits, navigation_visits, schedules_visits  # noqa: F401

        # isort: on
        from .standards import check_all

        check_all()
