"""The steps on the request page (TEN-02): each POST calls its service; a refused step
re-renders with the message and 400, a role that may never act gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError
from crm_project.core.errors import PermissionDenied as CorePermissionDenied

from ..permissions import can_work_on
from ..selectors import departments_for_assignment, request_visible_to
from ..services import recordings, replies
from ..services import requests as services


def _respond(request, tenant_request):
    return services.request_respond(actor=request.user, request=tenant_request, note=request.POST.get("note", ""))


def _resolve(request, tenant_request):
    resolution = request.POST.get("resolution", "")
    return services.request_resolve(actor=request.user, request=tenant_request, resolution=resolution)


def _confirm(request, tenant_request):
    satisfied = {"yes": True, "no": False}.get(request.POST.get("satisfied"))
    note = request.POST.get("note", "")
    return services.request_confirm(actor=request.user, request=tenant_request, satisfied=satisfied, note=note)


def _assign(request, tenant_request):
    department = departments_for_assignment().filter(pk=request.POST.get("department") or None).first()
    if department is None:
        raise DomainError(_("Choose the department."), field="department")
    return services.request_assign(actor=request.user, request=tenant_request, department=department)


def _photo(request, tenant_request):
    if not can_work_on(request.user, tenant_request):
        raise CorePermissionDenied(_("Only the desk or the department assigned adds photos."))
    return services.request_add_photo(actor=request.user, request=tenant_request, file=request.FILES.get("file"))


def _recording(request, tenant_request):
    return recordings.recording_upload(actor=request.user, request=tenant_request, file=request.FILES.get("file"))


def _archive(request, tenant_request):
    recording = tenant_request.recordings.filter(pk=_number(request.POST.get("recording"))).first()
    if recording is None:
        raise DomainError(_("Choose the recording to keep."), field="recording")
    return recordings.recording_archive(actor=request.user, recording=recording, reason=request.POST.get("reason", ""))


def _number(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else None


STEPS = {
    "assign": _assign,
    "respond": _respond,
    "resolve": _resolve,
    "confirm": _confirm,
    "photo": _photo,
    "recording": _recording,
    "archive": _archive,
    "reply-draft": lambda request, tenant_request: replies.reply_draft(
        actor=request.user, request=tenant_request, text=request.POST.get("text", "")
    ),
    "reply-review": lambda request, tenant_request: replies.reply_review(actor=request.user, request=tenant_request),
    "reply-publish": lambda request, tenant_request: replies.reply_publish(actor=request.user, request=tenant_request),
}


@login_required
@require_POST
def request_step(request, pk: int, step: str):
    if step not in STEPS:
        raise PermissionDenied
    tenant_request = get_object_or_404(request_visible_to(request.user), pk=pk)
    try:
        STEPS[step](request, tenant_request)
    except CorePermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        from .requests import request_detail

        messages.error(request, str(error))
        response = request_detail(request, pk)
        response.status_code = 400
        return response
    return redirect("tenants:request_detail", pk=pk)


urlpatterns = [path("requests/<int:pk>/<slug:step>/", request_step, name="request_step")]
