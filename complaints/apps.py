from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        # Access rules, navigation, "My work" panels, the dashboard block, role permissions,
        # schedules and the customer-page hooks of complaints (CMP-01 … CMP-05).
        from . import (  # noqa: F401
            access_rules,
            dashboard,
            my_work,
            navigation,
            permissions_setup,
            pickers,
            schedules,
            timeline,
        )
