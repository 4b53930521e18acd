from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from . import access_rules, dashboard, my_work, navigation, permissions_setup, pickers, schedules  # noqa: F401
