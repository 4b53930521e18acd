from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, Department, User
from .tokens.services import token_revoke


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "head"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["head"]


class UserAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("superior") and self.instance.pk and cleaned["superior"].pk == self.instance.pk:
            self.add_error("superior", _("Nobody is their own direct superior."))
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
    autocomplete_fields = ["superior"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Work"), {"fields": ("department", "superior", "phone", "language")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Work"), {"fields": ("department", "phone", "language", "groups")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(role.label) for role in sorted(obj.roles))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see everyone's API tokens and revoke them (ORG-02); keys are never shown,
    and tokens are issued only to their user (POST /api/v1/auth/token/ or the profile page)."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "expires_at", "user__department"]
    search_fields = ["name", "prefix", "user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "revoked_by"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        ids = list(queryset.filter(revoked_at__isnull=True).values_list("pk", flat=True))
        for token_id in ids:
            token_revoke(token_id=token_id, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(ids)) % {"count": len(ids)},
            messages.SUCCESS,
        )
