from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "crm_project.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from . import access_rules, login_throttle, pickers  # noqa: F401  (access rules; the failed log-in counter; the user picker)
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
