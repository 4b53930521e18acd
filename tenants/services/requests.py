"""The request log (TEN-02) and its targets (TEN-03): one table of allowed steps; each step is
one atomic service that re-reads the request under a row lock, checks the state and the
actor, writes with who and when, records the step and notifies after commit.

logged → assigned → responded → resolved → confirmed by the tenant; a tenant who is not
satisfied reopens a resolved request (back to responded, the next round). A request can be
answered or resolved at the desk before it is assigned (an inquiry answered on the phone);
resolving also answers it.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import Department
from crm_project.core.errors import DomainError
from crm_project.core.files import display_name
from crm_project.core.uploads import check_image

from .. import standards
from ..models import ONLINE_CHANNELS, Category, Channel, RequestPhoto, Status, Tenant, TenantRequest
from ..permissions import can_assign, can_confirm, can_log, can_work_on
from ..selectors import tenant_visible_to
from .common import locked, next_reference, notify_on_commit, record_step, require, save, text_field

S = Status
DESCRIPTION_MAX = 5000

# {status: actions allowed from it}; the action decides the status it leads to.
ALLOWED: dict[str, tuple[str, ...]] = {
    S.LOGGED: ("assign", "respond", "resolve"),
    S.ASSIGNED: ("assign", "respond", "resolve"),
    S.RESPONDED: ("assign", "resolve"),
    S.RESOLVED: ("confirm",),
    S.CONFIRMED: (),
}

_REFUSALS = {
    "assign": gettext_lazy("A request that is %(status)s cannot be assigned any more."),
    "respond": gettext_lazy("A request that is %(status)s has already been answered."),
    "resolve": gettext_lazy("A request that is %(status)s cannot be resolved again."),
    "confirm": gettext_lazy("Only a resolved request can be confirmed by the tenant; this one is %(status)s."),
}


def allowed_actions(request: TenantRequest) -> tuple[str, ...]:
    return ALLOWED.get(request.status, ())


def _require_step(request: TenantRequest, action: str) -> None:
    if action not in allowed_actions(request):
        raise DomainError(_REFUSALS[action] % {"status": S(request.status).label})


def _text(value: str, *, field: str, label: str, required: bool = True, limit: int = DESCRIPTION_MAX) -> str:
    return text_field(value, field=field, label=label, required=required, limit=limit)


def _department_members(department: Department):
    members = list(department.members.filter(is_active=True))
    if department.head_id and department.head not in members:
        members.append(department.head)
    return members


def _tell_department(request: TenantRequest) -> None:
    notify_on_commit(
        _department_members(request.department),
        key=f"tenant-request-assigned:{request.pk}:{request.department_id}:{request.reopen_count}",
        request=request,
        title=gettext_lazy("Tenant request %(reference)s for your department: %(category)s"),
        body=gettext_lazy("%(unit)s %(shop)s: %(text)s"),
        params={"category": Category(request.category).label, "text": request.description[:200]},
    )


def request_log(
    *,
    actor,
    tenant: Tenant,
    category: str,
    description: str,
    channel: str = Channel.HOTLINE,
    source_url: str = "",
    department: Department | None = None,
    logged_at: datetime | None = None,
) -> TenantRequest:
    """TEN-02: a request taken at the desk. Its targets come from the category's standard
    (TEN-03), counted from when the tenant called (now by default, never in the future). A
    category with a default department (TENANT_DEFAULT_DEPARTMENTS) is assigned at once; a
    complaint opens a complaint ticket (CMP-01)."""
    require(can_log(actor), _("Only the operations desk logs tenant requests."))
    if not tenant_visible_to(actor).filter(pk=tenant.pk, moved_out_at__isnull=True).exists():
        raise DomainError(_("Unknown tenant, or the tenant has moved out."), field="tenant")
    if category not in Category.values:
        raise DomainError(
            _("Choose the category: emergency, repair, complaint, inquiry or suggestion."), field="category"
        )
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    description = _text(description, field="description", label=_("the description"))
    source_url = (source_url or "").strip()
    if source_url and channel not in ONLINE_CHANNELS:
        raise DomainError(
            _("A source link belongs to feedback from the website, a forum or social media."), field="source_url"
        )
    now = timezone.now()
    logged_at = logged_at or now
    if logged_at > now:
        raise DomainError(_("A request cannot be logged in the future."), field="logged_at")
    if department is None and (code := settings.TENANT_DEFAULT_DEPARTMENTS.get(category)):
        department = Department.objects.filter(code=code).first()
    with transaction.atomic():
        request = TenantRequest(
            reference=next_reference(logged_at),
            channel=channel,
            category=category,
            tenant=tenant,
            unit=tenant.unit,
            description=description,
            source_url=source_url,
            status=S.LOGGED,
            logged_at=logged_at,
            logged_by=actor,
            response_due_at=standards.due_at(category, "respond", logged_at),
            resolve_due_at=standards.due_at(category, "resolve", logged_at),
        )
        request._history_user = actor
        request.save()
        record_step(request, actor=actor, action="log", from_status="")
        if department is not None:
            _assign(request, actor=actor, department=department)
        if category == Category.COMPLAINT:
            from .complaints import request_open_complaint

            request_open_complaint(actor=actor, request=request)
    return request


def _assign(request: TenantRequest, *, actor, department: Department) -> None:
    before = request.status
    request.department = department
    request.assigned_at, request.assigned_by = timezone.now(), actor
    if request.status == S.LOGGED:
        request.status = S.ASSIGNED
    save(
        request,
        actor,
        ["department", "assigned_at", "assigned_by", "status"],
        _("Assigned to %(department)s") % {"department": department.name},
    )
    record_step(request, actor=actor, action="assign", from_status=before, note=department.name)
    _tell_department(request)


def request_assign(*, actor, request: TenantRequest, department: Department) -> TenantRequest:
    """The desk hands the request to the department that handles it (again, to another)."""
    with transaction.atomic():
        request = locked(request)
        require(can_assign(actor, request), _("Only the operations desk assigns tenant requests."))
        _require_step(request, "assign")
        if request.department_id == department.pk:
            raise DomainError(
                _("The request is already assigned to %(department)s.") % {"department": department.name},
                field="department",
            )
        _assign(request, actor=actor, department=department)
    return request


def request_respond(*, actor, request: TenantRequest, note: str) -> TenantRequest:
    """The first answer to the tenant (TEN-03's response target)."""
    note = _text(note, field="note", label=_("the response"))
    with transaction.atomic():
        request = locked(request)
        require(can_work_on(actor, request), _("Only the desk or the department assigned answers this request."))
        _require_step(request, "respond")
        before = request.status
        request.status = S.RESPONDED
        request.responded_at, request.responded_by, request.response_note = timezone.now(), actor, note
        save(request, actor, ["status", "responded_at", "responded_by", "response_note"], _("Responded"))
        record_step(request, actor=actor, action="respond", from_status=before, note=note)
    return request


def request_resolve(*, actor, request: TenantRequest, resolution: str) -> TenantRequest:
    """Done: what was done, for the tenant to confirm. Resolving also answers the tenant."""
    resolution = _text(resolution, field="resolution", label=_("the resolution"))
    with transaction.atomic():
        request = locked(request)
        require(can_work_on(actor, request), _("Only the desk or the department assigned resolves this request."))
        _require_step(request, "resolve")
        before, now = request.status, timezone.now()
        fields = ["status", "resolved_at", "resolved_by", "resolution"]
        if request.responded_at is None:
            request.responded_at, request.responded_by = now, actor
            fields += ["responded_at", "responded_by"]
        request.status = S.RESOLVED
        request.resolved_at, request.resolved_by, request.resolution = now, actor, resolution
        save(request, actor, fields, _("Resolved"))
        record_step(request, actor=actor, action="resolve", from_status=before, note=resolution)
        if request.logged_by_id and request.logged_by_id != actor.pk:
            notify_on_commit(
                [request.logged_by],
                key=f"tenant-request-resolved:{request.pk}:{request.reopen_count}",
                request=request,
                title=gettext_lazy("Tenant request %(reference)s resolved: ask %(shop)s to confirm"),
                body=gettext_lazy("%(resolution)s"),
                params={"resolution": resolution[:300]},
            )
    return request


def request_confirm(*, actor, request: TenantRequest, satisfied: bool, note: str = "") -> TenantRequest:
    """The tenant's confirmation, recorded by the desk. Not satisfied reopens the request for
    the department (back to responded, a new round of escalations); the note says why."""
    if not isinstance(satisfied, bool):
        raise DomainError(_("Say whether the tenant is satisfied."), field="satisfied")
    note = _text(note, field="note", label=_("what the tenant said"), required=not satisfied)
    with transaction.atomic():
        request = locked(request)
        require(can_confirm(actor, request), _("Only the operations desk records the tenant's confirmation."))
        _require_step(request, "confirm")
        before = request.status
        if satisfied:
            request.status = S.CONFIRMED
            request.confirmed_at, request.confirmed_by = timezone.now(), actor
            request.satisfied, request.confirmation_note = True, note
            save(
                request,
                actor,
                ["status", "confirmed_at", "confirmed_by", "satisfied", "confirmation_note"],
                _("Confirmed by the tenant"),
            )
            record_step(request, actor=actor, action="confirm", from_status=before, note=note)
            return request
        request.status = S.RESPONDED
        request.reopen_count += 1
        request.resolved_at = request.resolved_by = None
        request.satisfied, request.confirmation_note = False, note
        save(
            request, actor, ["status", "reopen_count", "resolved_at", "resolved_by", "satisfied", "confirmation_note"],
            _("Reopened: the tenant is not satisfied"),
        )  # fmt: skip
        record_step(request, actor=actor, action="reopen", from_status=before, note=note)
        if request.department_id:
            _tell_department(request)
    return request


def request_add_photo(*, actor, request: TenantRequest, file) -> RequestPhoto:
    """A photo of what the tenant reports; read from its content, size-limited (setting)."""
    kind = check_image(file, max_mb=settings.TENANT_PHOTO_MAX_MB)
    with transaction.atomic():
        request = locked(request)
        require(can_work_on(actor, request), _("Only the desk or the department assigned adds photos."))
        photo = RequestPhoto(
            request=request,
            original_name=display_name(file.name, fallback=f"photo.{kind.extension}"),
            content_type=kind.content_type,
            size=file.size,
            uploaded_by=actor,
        )
        file.seek(0)
        photo.file.save(f"photo.{kind.extension}", file, save=False)
        photo.save()
    return photo
