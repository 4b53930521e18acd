from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CustomerSettings, Industry, Product


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "active"]
    list_editable = ["active"]


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "active"]
    search_fields = ["code", "name"]
    list_filter = ["active"]


@admin.register(CustomerSettings)
class CustomerSettingsAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return not CustomerSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
