"""The survey settings in the admin (SUR-01 … SUR-03): link lifetime, the rounds' frequency
and the low score, changed by an administrator without a code change. Registered with the admin when the app loads."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SurveySettings


@admin.register(SurveySettings)
class SurveySettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "link_days", "customer_round_months", "tenant_round_months", "low_score"]

    def has_add_permission(self, request):
        return not SurveySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
