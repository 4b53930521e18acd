from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "crm_project.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import access_rules  # noqa: F401  (registers the export jobs' rule)
        from .months import bound_every_date_field
        from .schedules import sync_schedules_after_migrate
        from .text import clean_text_fields

        post_migrate.connect(sync_schedules_after_migrate, sender=self)
        pre_save.connect(clean_text_fields, dispatch_uid="core.clean_text_fields")
        bound_every_date_field()
