"""The request pages (TEN-02): intake and the request page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.selectors import complaint_visible_to
from crm_project.core.errors import DomainError
from crm_project.core.errors import PermissionDenied as CorePermissionDenied
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..access_rules import sees_whole_desk
from ..exports import RequestLogExport
from ..filters import RequestFilter
from ..forms_requests import RequestLogForm
from ..models import OnlineReply
from ..permissions import can_assign, can_confirm, can_keep_archive, can_log, can_review_reply, can_work_on
from ..selectors import departments_for_assignment, request_visible_to, with_flags
from ..services.requests import allowed_actions, request_log
from .desk import has_tenant_access


@login_required
def request_new(request):
    if not can_log(request.user):
        raise PermissionDenied
    form = RequestLogForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = request_log(actor=request.user, **form.cleaned_data)
            except CorePermissionDenied as error:
                raise PermissionDenied(str(error)) from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                return redirect("tenants:request_detail", pk=created.pk)
        status = 400
    return render(request, "tenants/request_new.html", {"form": form}, status=status)


@login_required
def request_detail(request, pk: int):
    tenant_request = get_object_or_404(
        with_flags(request_visible_to(request.user)).select_related("tenant", "department", "complaint", "meeting"),
        pk=pk,
    )
    events = tenant_request.events.select_related("user")
    steps = allowed_actions(tenant_request)
    user = request.user
    reply = (
        OnlineReply.objects.filter(request=tenant_request)
        .select_related("drafted_by", "reviewed_by", "published_by")
        .first()
    )
    context = {
        "now_moment": timezone.now(),
        "complaint": tenant_request.complaint if tenant_request.complaint_id else None,
        "complaint_visible": bool(tenant_request.complaint_id)
        and complaint_visible_to(user).filter(pk=tenant_request.complaint_id).exists(),
        # A suggestion raised at a tenant meeting (TEN-05); the meeting is the desk's to open.
        "meeting": tenant_request.meeting,
        "meeting_visible": sees_whole_desk(user),
        "photos": list(tenant_request.photos.all()),
        "recordings": list(tenant_request.recordings.select_related("uploaded_by", "archived_by")),
        "reply": reply,
        "history": history_entries(tenant_request),
        "may_add_files": can_work_on(user, tenant_request),
        "may_keep": can_keep_archive(user),
        "may_review_reply": bool(reply and not reply.reviewed_at and can_review_reply(user, tenant_request)),
        "may_publish_reply": bool(reply and reply.reviewed_at and not reply.published_at and can_keep_archive(user)),
        "tenant_request": tenant_request,
        "events": events,
        "may_assign": "assign" in steps and can_assign(request.user, tenant_request),
        "departments": departments_for_assignment(),
        "may_respond": "respond" in steps and can_work_on(request.user, tenant_request),
        "may_resolve": "resolve" in steps and can_work_on(request.user, tenant_request),
        "may_confirm": "confirm" in steps and can_confirm(request.user, tenant_request),
    }
    return render(request, "tenants/request_detail.html", context)


urlpatterns = [
    path("requests/new/", request_new, name="request_new"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
]


class RequestListView(FilteredListView):
    """The request log 诉求(需求)记录表 (TEN-02, DSH-03): filters, sorting, paging and the export."""

    template_name = "tenants/request_list.html"
    filterset_class = RequestFilter
    export_class = RequestLogExport
    sort_options = {
        "logged": (_("logged at"), "logged_at"),
        "reference": (_("reference"), "reference"),
        "due": (_("resolution due"), "resolve_due_at"),
    }
    default_sort = "-logged"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_tenant_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return with_flags(request_visible_to(self.request.user)).select_related("tenant", "department")


urlpatterns.append(path("requests/", login_required(RequestListView.as_view()), name="request_list"))
