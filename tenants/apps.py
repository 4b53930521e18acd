from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")

    def ready(self) -> None:
        # Access rules, navigation, "My work" panels and schedules of the tenant service desk
        # (TEN-01 … TEN-04, TEN-09, TEN-11).
        from . import access_rules, my_work, navigation, schedules  # noqa: F401
        from .standards import check_all

        # Outgoing notices 对外发文 (TEN-06).
        for module in ("access_rules_notices", "navigation_notices", "my_work_notices", "schedules_notices"):
            import_module(f"{self.name}.{module}")

        check_all()
