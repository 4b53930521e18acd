from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self) -> None:
        # Access rules, navigation, "My work" panels and schedules of the tenant service desk
        # (TEN-01 … TEN-04, TEN-09, TEN-11) and of the fire-safety inspection (TEN-07, JOB-08).
        from . import (  # noqa: F401
            access_rules,
            access_rules_fire,
            my_work,
            my_work_fire,
            navigation,
            navigation_fire,
            schedules,
            schedules_fire,
        )
        from .standards import check_all

        check_all()

        # Tenant meetings and the fee schedule (TEN-05, TEN-10).
        from . import access_rules_meetings, navigation_meetings, schedules_meetings  # noqa: F401
