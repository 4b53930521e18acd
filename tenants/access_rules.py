"""The tenant desk in the access registry (ORG-02, TEN-01). Tenants are confidential:
operations and management (read-only) see all of it; a department that handles tenant
requests sees the requests assigned to it and the tenants of those requests; nobody else
sees anything. A sales rep never does, even were a request assigned to Sales."""

from django.db.models import Exists, OuterRef

from crm_project.accounts import access
from crm_project.accounts.roles import Role

from .models import (
    OnlineReply,
    Recording,
    RecordingPurge,
    RequestEscalation,
    RequestEvent,
    RequestPhoto,
    StorageItem,
    Tenant,
    TenantContact,
    TenantRequest,
)


def sees_whole_desk(user) -> bool:
    return access.sees_everything(user) or user.has_role(Role.OPERATIONS)


def handling_department(user) -> int | None:
    """The department whose assigned requests the user sees, if any."""
    rep_only = user.has_role(Role.SALES_REP) and not user.sees_department
    return None if rep_only else user.department_id


def department_scoped(path: str = ""):
    """The whole desk sees every row; a handling department the rows whose `department` (at
    `path`) is its own; everybody else none. Requests and outgoing notices follow it."""
    prefix = f"{path}__" if path else ""

    def rule(user, queryset):
        if sees_whole_desk(user):
            return queryset
        department = handling_department(user)
        if department is None:
            return queryset.none()
        return queryset.filter(**{f"{prefix}department_id": department})

    return rule


def _tenants(path: str = ""):
    def rule(user, queryset):
        if sees_whole_desk(user):
            return queryset
        department = handling_department(user)
        if department is None:
            return queryset.none()
        handled = TenantRequest.objects.filter(
            tenant_id=OuterRef(f"{path}_id" if path else "pk"), department_id=department
        )
        return queryset.filter(Exists(handled))

    return rule


def desk_only(user, queryset):
    return queryset if sees_whole_desk(user) else queryset.none()


access.register(Tenant, _tenants())
access.register(TenantContact, _tenants("tenant"))
access.register(TenantRequest, department_scoped())
for model in (RequestEvent, RequestPhoto, RequestEscalation, OnlineReply, Recording):
    access.register(model, department_scoped("request"))
access.register(StorageItem, desk_only)
access.register(RecordingPurge, desk_only)
