"""Outgoing notices 对外发文 in the access registry (TEN-06, ORG-02): operations and management
(read-only) see every notice; the department concerned sees its own; nobody else sees any.
The addressees follow their notice."""

from crm_project.accounts import access

from .access_rules import handling_department, sees_whole_desk
from .models import Notice, NoticeAddressee, NoticeTemplate


def _notices(path: str = ""):
    prefix = f"{path}__" if path else ""

    def rule(user, queryset):
        if sees_whole_desk(user):
            return queryset
        department = handling_department(user)
        if department is None:
            return queryset.none()
        return queryset.filter(**{f"{prefix}department_id": department})

    return rule


def _templates(user, queryset):
    from .permissions_notices import opens_notice_pages

    return queryset if opens_notice_pages(user) else queryset.none()


access.register(Notice, _notices())
access.register(NoticeAddressee, _notices("notice"))
access.register(NoticeTemplate, _templates)
