from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ServiceStandard


@admin.register(ServiceStandard)
class ServiceStandardAdmin(SimpleHistoryAdmin):
    """CMP-04's targets by severity, changed by an administrator without a code change."""

    list_display = ["severity", "response_hours", "solution_days"]
    list_editable = ["response_hours", "solution_days"]

    def has_delete_permission(self, request, obj=None):
        return False
