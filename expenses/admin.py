"""The administrator's side of budgets and expenses: the editable list of expense categories
(EXP-16) and the EXP-17 settings. Budgets, applications and claims are worked on their pages,
through the services that check them, never edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExpenseCategory, ExpenseSettings


@admin.register(ExpenseCategory)
class ExpenseCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "meal_cap_applies", "applications", "order"]
    list_editable = ["meal_cap_applies", "order"]
    search_fields = ["code", "name_zh", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        # The codes are the API's (issue 13): fixed once a category exists.
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExpenseSettings)
class ExpenseSettingsAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return not ExpenseSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
