from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Satisfaction surveys 满意度调查 (SUR-01 … SUR-03), shared by customers and tenants."""

    name = "crm_project.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        # Access rules, navigation, "My work", the dashboard, schedules, the admin and the
        # customer-page timeline.
        from . import access_rules, admin, dashboard, my_work, navigation, schedules, timeline  # noqa: F401
