"""The complaint flow (CMP-02, CMP-03, CMP-05): one table of allowed transitions; every step
is one atomic service that re-reads the complaint under a row lock, checks the state and the
actor, writes, records the step with who and when, and notifies after commit.

received → assigned → investigating → solution proposed → customer informed → closed,
and closed → investigating when a dissatisfied customer reopens it.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from crm_project.accounts.models import Department
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.messages import localized_department
from crm_project.notifications.services import notify

from ..models import Complaint, ComplaintCategory, ComplaintEvent, ComplaintStatus, Severity
from ..permissions import can_assign, can_handle
from .common import due_dates, record_step

S = ComplaintStatus

# {from_status: {action: to_status}} — the whole flow (CMP-03).
TRANSITIONS: dict[str, dict[str, str]] = {
    S.RECEIVED: {"assign": S.ASSIGNED},
    S.ASSIGNED: {"investigate": S.INVESTIGATING, "assign": S.ASSIGNED},  # assign again: to another department
    S.INVESTIGATING: {"propose": S.SOLUTION_PROPOSED},
    S.SOLUTION_PROPOSED: {"inform": S.CUSTOMER_INFORMED},
    S.CUSTOMER_INFORMED: {"close": S.CLOSED},
    S.CLOSED: {"reopen": S.INVESTIGATING},
}

ACTION_LABELS = {
    "assign": gettext_lazy("Assign"),
    "investigate": gettext_lazy("Start the investigation"),
    "propose": gettext_lazy("Propose a solution"),
    "inform": gettext_lazy("Customer informed"),
    "close": pgettext_lazy("complaint action", "Close"),
    "reopen": gettext_lazy("Reopen"),
}

# How each action reads in "A complaint that is received cannot be closed".
_ACTION_DONE = {
    "assign": gettext_lazy("assigned"),
    "investigate": gettext_lazy("put under investigation"),
    "propose": gettext_lazy("given a proposed solution"),
    "inform": gettext_lazy("marked as customer informed"),
    "close": pgettext_lazy("complaint status", "closed"),
    "reopen": gettext_lazy("reopened"),
}

# The next step from each status, as advice when an action comes too early.
_NEXT_STEP = {
    S.RECEIVED: gettext_lazy("assign it first"),
    S.ASSIGNED: gettext_lazy("start the investigation first"),
    S.INVESTIGATING: gettext_lazy("propose a solution first"),
    S.SOLUTION_PROPOSED: gettext_lazy("inform the customer first"),
    S.CUSTOMER_INFORMED: pgettext_lazy("complaint action", "close it first"),
    S.CLOSED: gettext_lazy("reopen it first"),
}
_ORDER = [S.RECEIVED, S.ASSIGNED, S.INVESTIGATING, S.SOLUTION_PROPOSED, S.CUSTOMER_INFORMED, S.CLOSED]
_ACTION_FROM = {action: status for status, actions in TRANSITIONS.items() for action in actions if action != "assign"}
_ACTION_FROM["assign"] = S.RECEIVED


def allowed_actions(status: str) -> list[str]:
    return list(TRANSITIONS.get(status, {}))


def _refusal(status: str, action: str) -> str:
    label = S(status).label
    message = _("A complaint that is %(status)s cannot be %(done)s") % {"status": label, "done": _ACTION_DONE[action]}
    if status == S.CLOSED or _ORDER.index(_ACTION_FROM[action]) > _ORDER.index(status):
        return _("%(refusal)s; %(advice)s.") % {"refusal": message, "advice": _NEXT_STEP[status]}
    return _("%(refusal)s; it is already past that step.") % {"refusal": message}


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("department", "customer", "customer__owner")
        .get(pk=complaint.pk)
    )


def _check_actor(actor, complaint: Complaint, action: str) -> None:
    if action == "assign":
        if not can_assign(actor):
            raise PermissionDenied(_("Only customer service assigns a complaint to a department."))
    elif not can_handle(actor, complaint):
        raise PermissionDenied(_("Only customer service and the responsible department handle this complaint."))


def _save(complaint: Complaint, actor, fields: list[str], reason: str) -> None:
    complaint._history_user = actor
    complaint._change_reason = reason
    complaint.save(update_fields=fields)


def _url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", args=[complaint.pk])


def _transition(*, actor, complaint: Complaint, action: str, apply, note: str = "") -> Complaint:
    """The one shape of every step: lock, guard, write, record, notify on commit."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _check_actor(actor, complaint, action)
        target = TRANSITIONS.get(complaint.status, {}).get(action)
        if target is None:
            raise DomainError(_refusal(complaint.status, action))
        from_status = complaint.status
        fields = apply(complaint) or []
        complaint.status = target
        fields.append("status")
        if complaint.responded_at is None and action != "reopen":
            # The first step after intake (or after a reopen) is the first response (CMP-04).
            complaint.responded_at = timezone.now()
            fields.append("responded_at")
        _save(complaint, actor, sorted(set(fields)), str(ACTION_LABELS[action]))
        event = record_step(complaint, user=actor, from_status=from_status, note=note)
    complaint.last_event = event
    return complaint


def complaint_assign(*, actor, complaint: Complaint, department: Department | None, note: str = "") -> Complaint:
    """CMP-02: customer service assigns the responsible department; its head is told."""

    def apply(row: Complaint):
        if department is None:
            raise DomainError(_("Choose the responsible department."), field="department")
        if row.department_id == department.pk and row.status == S.ASSIGNED:
            raise DomainError(_("The complaint is already assigned to %(name)s.") % {"name": department.name},
                              field="department")  # fmt: skip
        row.department = department
        return ["department"]

    complaint = _transition(
        actor=actor,
        complaint=complaint,
        action="assign",
        apply=apply,
        note=" · ".join(part for part in (str(department or ""), note.strip()) if part),
    )
    head = department.head
    if head is not None and head.is_active:
        event_id = complaint.last_event.pk
        transaction.on_commit(
            lambda: notify(
                recipient=head,
                key=f"complaint-assigned:{complaint.pk}:{event_id}",
                kind="complaint",
                title=gettext_lazy("Complaint %(reference)s assigned to %(department)s"),
                body=gettext_lazy("%(reference)s (%(company)s): %(text)s"),
                params={
                    "reference": complaint.reference,
                    "department": localized_department(department),
                    "company": complaint.complainant_company or complaint.complainant_name,
                    "text": complaint.text[:200],
                },
                url=_url(complaint),
            )
        )
    return complaint


def complaint_investigate(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    return _transition(actor=actor, complaint=complaint, action="investigate", apply=lambda row: [], note=note.strip())


def complaint_propose(*, actor, complaint: Complaint, solution: str) -> Complaint:
    solution = (solution or "").strip()

    def apply(row: Complaint):
        if not solution:
            raise DomainError(_("Describe the proposed solution."), field="solution")
        row.solution, row.solution_proposed_at = solution, timezone.now()
        return ["solution", "solution_proposed_at"]

    return _transition(actor=actor, complaint=complaint, action="propose", apply=apply, note=solution)


def complaint_inform(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    return _transition(actor=actor, complaint=complaint, action="inform", apply=lambda row: [], note=note.strip())


def complaint_close(
    *, actor, complaint: Complaint, satisfaction: int | None, root_cause: str, preventive_action: str
) -> Complaint:
    """CMP-03, CMP-05: closed with the customer's satisfaction (1–5), the root cause and the
    preventive action; the customer's owner is told."""
    try:
        satisfaction = int(satisfaction) if satisfaction not in (None, "") else None
    except (TypeError, ValueError):
        satisfaction = -1
    root_cause, preventive_action = (root_cause or "").strip(), (preventive_action or "").strip()

    def apply(row: Complaint):
        if satisfaction is None or not 1 <= satisfaction <= 5:
            raise DomainError(_("Record the customer's satisfaction, from 1 to 5."), field="satisfaction")
        if not root_cause:
            raise DomainError(_("Record the root cause before closing."), field="root_cause")
        if not preventive_action:
            raise DomainError(_("Record the preventive action before closing."), field="preventive_action")
        row.satisfaction, row.root_cause, row.preventive_action = satisfaction, root_cause, preventive_action
        row.closed_at = timezone.now()
        return ["satisfaction", "root_cause", "preventive_action", "closed_at"]

    complaint = _transition(
        actor=actor,
        complaint=complaint,
        action="close",
        apply=apply,
        note=_("Satisfaction %(score)s/5") % {"score": satisfaction},
    )
    owner = complaint.customer.owner if complaint.customer_id else None
    if owner is not None and owner.is_active and owner.pk != actor.pk:
        round_ = complaint.reopen_count
        transaction.on_commit(
            lambda: notify(
                recipient=owner,
                key=f"complaint-closed:{complaint.pk}:{round_}",
                kind="complaint",
                title=gettext_lazy("Complaint %(reference)s of %(customer)s closed"),
                body=gettext_lazy("Satisfaction %(score)s/5. Root cause: %(cause)s"),
                params={
                    "reference": complaint.reference,
                    "customer": complaint.customer.name,
                    "score": satisfaction,
                    "cause": root_cause[:200],
                },
                url=_url(complaint),
            )
        )
    return complaint


def complaint_reopen(*, actor, complaint: Complaint, reason: str) -> Complaint:
    """CMP-03: a dissatisfied customer reopens it for a new investigation; the targets start
    again from now (CMP-04) and a new round of escalations can happen."""
    reason = (reason or "").strip()

    def apply(row: Complaint):
        if not reason:
            raise DomainError(_("Say why the complaint is reopened."), field="reason")
        now = timezone.now()
        row.reopen_count += 1
        row.response_due_at, row.solution_due_at = due_dates(row.severity, now)
        row.responded_at = row.solution_proposed_at = row.closed_at = row.satisfaction = None
        return ["reopen_count", "response_due_at", "solution_due_at", "responded_at", "solution_proposed_at",
                "closed_at", "satisfaction"]  # fmt: skip

    return _transition(actor=actor, complaint=complaint, action="reopen", apply=apply, note=reason)


def _round_start(complaint: Complaint):
    if not complaint.reopen_count:
        return complaint.received_at
    last_reopen = (
        ComplaintEvent.objects.filter(complaint=complaint, from_status=S.CLOSED, to_status=S.INVESTIGATING)
        .order_by("-pk")
        .values_list("at", flat=True)
        .first()
    )
    return last_reopen or complaint.received_at


def complaint_classify(*, actor, complaint: Complaint, category: str, severity: str) -> Complaint:
    """CMP-02: category and severity, while the complaint is open. A new severity moves the
    targets, counted from the start of the current round (CMP-04)."""
    if category and category not in ComplaintCategory.values:
        raise DomainError(_("Unknown category."), field="category")
    if severity not in Severity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    with transaction.atomic():
        complaint = _locked(complaint)
        if not (can_assign(actor) or can_handle(actor, complaint)):
            raise PermissionDenied(_("Only customer service and the responsible department handle this complaint."))
        if complaint.status == S.CLOSED:
            raise DomainError(_("A closed complaint cannot be reclassified; reopen it first."))
        if complaint.category == category and complaint.severity == severity:
            return complaint
        fields = ["category", "severity"]
        if complaint.severity != severity:
            complaint.response_due_at, complaint.solution_due_at = due_dates(severity, _round_start(complaint))
            fields += ["response_due_at", "solution_due_at"]
        complaint.category, complaint.severity = category, severity
        _save(complaint, actor, fields, _("Classified"))
        record_step(
            complaint,
            user=actor,
            from_status=complaint.status,
            note=_("Category: %(category)s · severity: %(severity)s")
            % {
                "category": complaint.get_category_display() or _("unclassified"),
                "severity": complaint.get_severity_display(),
            },
        )
    return complaint


def complaint_act(*, actor, complaint: Complaint, action: str, **data) -> Complaint:
    """Dispatch a transition by its name (the page's buttons and the API)."""
    services = {
        "assign": lambda: complaint_assign(
            actor=actor, complaint=complaint, department=data.get("department"), note=data.get("note", "")
        ),
        "investigate": lambda: complaint_investigate(actor=actor, complaint=complaint, note=data.get("note", "")),
        "propose": lambda: complaint_propose(actor=actor, complaint=complaint, solution=data.get("solution", "")),
        "inform": lambda: complaint_inform(actor=actor, complaint=complaint, note=data.get("note", "")),
        "close": lambda: complaint_close(
            actor=actor,
            complaint=complaint,
            satisfaction=data.get("satisfaction"),
            root_cause=data.get("root_cause", ""),
            preventive_action=data.get("preventive_action", ""),
        ),
        "reopen": lambda: complaint_reopen(actor=actor, complaint=complaint, reason=data.get("reason", "")),
    }
    if action not in services:
        raise DomainError(_("Unknown action."))
    return services[action]()
