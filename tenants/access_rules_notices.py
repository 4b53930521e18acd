"""Outgoing notices 对外发文 in the access registry (TEN-06, ORG-02): operations and management
(read-only) see every notice; the department concerned sees its own; nobody else sees any.
The addressees follow their notice."""

from crm_project.accounts import access

from .access_rules import department_scoped
from .models import Notice, NoticeAddressee, NoticeTemplate


def _templates(user, queryset):
    from .permissions_notices import opens_notice_pages

    return queryset if opens_notice_pages(user) else queryset.none()


access.register(Notice, department_scoped())
access.register(NoticeAddressee, department_scoped("notice"))
access.register(NoticeTemplate, _templates)
