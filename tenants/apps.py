from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self) -> None:
        # Access rules, navigation, "My work" panels and schedules of the tenant service desk
        # (TEN-01 … TEN-04, TEN-09, TEN-11), the meetings and the fee schedule (TEN-05, TEN-10),
        # the outgoing notices (TEN-06), the fire-safety inspection (TEN-07, JOB-08), the visits
        # and bulk notices (TEN-08); the tenant requests' dashboard block (DSH-01).
        from . import (  # noqa: F401
            access_rules,
            access_rules_fire,
            access_rules_meetings,
            access_rules_notices,
            access_rules_visits,
            dashboard,
            my_work,
            my_work_fire,
            my_work_meetings,
            my_work_notices,
            my_work_visits,
            navigation,
            navigation_fire,
            navigation_meetings,
            navigation_notices,
            navigation_visits,
            schedules,
            schedules_fire,
            schedules_meetings,
            schedules_notices,
            schedules_visits,
        )
        from .standards import check_all

        check_all()
