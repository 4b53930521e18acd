from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, User


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "head"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["head"]


class UserAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # ORG-01: everyone but a technical superuser belongs to a department.
        if not cleaned.get("department") and not cleaned.get("is_superuser"):
            self.add_error("department", _("Every user belongs to one department."))
        return cleaned


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserAdminForm
    list_display = ["username", "display_name", "department", "role_list", "is_active"]
    list_filter = ["department", "groups", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    list_select_related = ["department"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Work"), {"fields": ("department", "phone", "language")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Work"), {"fields": ("department", "phone", "language", "groups")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(role.label) for role in sorted(obj.roles))
