from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "crm_project.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .schedules import sync_schedules_after_migrate

        post_migrate.connect(sync_schedules_after_migrate, sender=self)
