from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        # Access rules, navigation, "My work" panels, role permissions and schedules of supplier
        # onboarding (SUP-01 … SUP-07).
        from . import access_rules, my_work, navigation, schedules  # noqa: F401
