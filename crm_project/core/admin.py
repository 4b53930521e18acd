"""The export log and the background exports, read-only: the record of who took which rows
(CUS-07), and why a background export failed."""

from django.contrib import admin

from .models import ExportJob, ExportLog


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnly):
    list_display = ["exported_at", "user", "name", "row_count", "query"]
    list_filter = ["name"]
    search_fields = ["user__username", "name", "query"]
    date_hierarchy = "exported_at"


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnly):
    list_display = ["created_at", "user", "name", "status", "processed_rows", "total_rows", "finished_at"]
    list_filter = ["status", "name"]
    search_fields = ["user__username", "name", "query", "failure"]
    exclude = ["file"]
