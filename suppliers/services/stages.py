"""The supplier's stages (SUP-02, SUP-05, SUP-07): one step at a time, none skipped.

candidate → general survey → on-site survey → approval → approved → contracted → active,
or rejected from any stage before active. Each step is one atomic service: the row locked,
the actor and the stage checked, what is still missing listed, the write, the step on the
timeline with who and when, notifications after commit.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import Department, User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError

from ..completeness import SupplierParts, missing_to_advance
from ..models import Stage, Supplier
from ..models.suppliers import STAGE_ORDER
from ..permissions import can_decide, can_reject, can_run_file, can_suspend, survey_department_codes
from .codes import next_supplier_code
from .common import locked, notify_on_commit, record_step, require, require_open, save

REASON_MAX = 2000
PAYMENT_TERMS_MAX = 300

# Where `advance` goes from each stage; approval and activation have their own steps.
NEXT_BY_ADVANCE = {
    Stage.CANDIDATE: Stage.GENERAL_SURVEY,
    Stage.GENERAL_SURVEY: Stage.ONSITE_SURVEY,
    Stage.ONSITE_SURVEY: Stage.APPROVAL,
    Stage.APPROVED: Stage.CONTRACTED,
}


def next_stage(stage: str) -> str | None:
    if stage not in STAGE_ORDER or stage == Stage.ACTIVE:
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]


def _refuse_missing(supplier: Supplier, missing: list[str]) -> None:
    target = next_stage(supplier.stage)
    raise DomainError(
        _("The supplier cannot move on to the %(next)s stage yet: %(missing)s")
        % {"next": Stage(target).label if target else "", "missing": " ".join(missing)}
    )


def supplier_advance(*, actor: User, supplier: Supplier, note: str = "") -> Supplier:
    """Move to the next stage when the current one is complete, else say what is missing.
    Moving from the on-site survey to approval submits the application to the head."""
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_run_file(actor), _("Only procurement moves a supplier's file on."))
        require_open(supplier)
        missing = missing_to_advance(SupplierParts.of(supplier))
        if missing:
            _refuse_missing(supplier, missing)
        from_stage, supplier.stage = supplier.stage, NEXT_BY_ADVANCE[supplier.stage]
        fields = ["stage"]
        if supplier.stage == Stage.APPROVAL:
            supplier.application_submitted_at, supplier.application_submitted_by = timezone.now(), actor
            fields += ["application_submitted_at", "application_submitted_by"]
        save(supplier, actor, fields, _("Moved to %(stage)s") % {"stage": Stage(supplier.stage).label})
        record_step(supplier, actor=actor, action="advance", from_stage=from_stage, note=(note or "").strip())
    _announce_stage(supplier)
    return supplier


def _announce_stage(supplier: Supplier) -> None:
    if supplier.stage == Stage.ONSITE_SURVEY:
        heads = [
            department.head
            for department in Department.objects.filter(code__in=survey_department_codes()).select_related("head")
        ]
        notify_on_commit(
            heads,
            key=f"supplier-onsite:{supplier.pk}",
            supplier=supplier,
            title=gettext_lazy("On-site survey of %(supplier)s: your department's findings are needed"),
            body=gettext_lazy("Record and sign your department's findings and score for %(supplier)s."),
        )
    elif supplier.stage == Stage.APPROVAL:
        notify_on_commit(
            User.objects.filter(groups__name=Role.PURCHASING_HEAD.value, is_active=True),
            key=f"supplier-application:{supplier.pk}",
            supplier=supplier,
            title=gettext_lazy("Approval application for %(supplier)s waits for your decision"),
            body=gettext_lazy("Procurement applies to approve %(supplier)s as a supplier."),
        )


def supplier_reject(*, actor: User, supplier: Supplier, reason: str) -> Supplier:
    """SUP-02: rejected at any stage before active, with a reason; the file is closed."""
    reason = (reason or "").strip()
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_reject(actor), _("Only procurement and the head of purchasing reject a candidate."))
        require_open(supplier)
        if not reason:
            raise DomainError(_("Say why the supplier is rejected."), field="reason")
        if len(reason) > REASON_MAX:
            raise DomainError(_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}, field="reason")
        _close_as_rejected(supplier, actor, reason, action="reject")
    return supplier


def _close_as_rejected(supplier: Supplier, actor: User, reason: str, *, action: str) -> None:
    from_stage = supplier.stage
    supplier.stage, supplier.rejected_from = Stage.REJECTED, from_stage
    supplier.rejected_at, supplier.rejected_reason = timezone.now(), reason
    save(supplier, actor, ["stage", "rejected_from", "rejected_at", "rejected_reason"], _("Rejected"))
    record_step(supplier, actor=actor, action=action, from_stage=from_stage, note=reason)
    told = {supplier.registered_by_id, supplier.application_submitted_by_id} - {actor.pk, None}
    notify_on_commit(
        User.objects.filter(pk__in=told),
        key=f"supplier-rejected:{supplier.pk}",
        supplier=supplier,
        title=gettext_lazy("Supplier candidate %(supplier)s rejected"),
        body=gettext_lazy("Reason: %(reason)s"),
        params={"reason": reason[:300]},
    )


def supplier_decide(*, actor: User, supplier: Supplier, decision: str, comment: str = "") -> Supplier:
    """SUP-05: the head of purchasing approves or rejects the application, with a comment;
    nobody decides on an application they submitted themselves."""
    comment = (comment or "").strip()
    if decision not in ("approve", "reject"):
        raise DomainError(_("Decide with approve or reject."), field="decision")
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_decide(actor), _("Only the head of purchasing decides on an approval application."))
        require(
            supplier.application_submitted_by_id != actor.pk,
            _("Nobody decides on an approval application they submitted themselves."),
        )
        require_open(supplier)
        if supplier.stage != Stage.APPROVAL:
            raise DomainError(
                _("There is no approval application to decide on: the supplier is at the %(stage)s stage.")
                % {"stage": Stage(supplier.stage).label}
            )
        if len(comment) > REASON_MAX:
            raise DomainError(_("Keep the comment under %(n)d characters.") % {"n": REASON_MAX}, field="comment")
        if decision == "reject" and not comment:
            raise DomainError(_("Say why the application is rejected."), field="comment")
        supplier.decided_at, supplier.decided_by, supplier.decision_comment = timezone.now(), actor, comment
        save(supplier, actor, ["decided_at", "decided_by", "decision_comment"], _("Decision recorded"))
        if decision == "reject":
            _close_as_rejected(supplier, actor, comment, action="decide_reject")
            return supplier
        from_stage, supplier.stage = supplier.stage, Stage.APPROVED
        save(supplier, actor, ["stage"], _("Application approved"))
        record_step(supplier, actor=actor, action="decide_approve", from_stage=from_stage, note=comment)
        notify_on_commit(
            User.objects.filter(pk=supplier.application_submitted_by_id),
            key=f"supplier-approved:{supplier.pk}",
            supplier=supplier,
            title=gettext_lazy("Approval application for %(supplier)s approved"),
            body=gettext_lazy("Sign the supply and quality-assurance contracts and upload their scans."),
        )
    return supplier


def supplier_activate(*, actor: User, supplier: Supplier, payment_terms: str) -> Supplier:
    """SUP-07: the code from the year's gap-free sequence, the payment terms, the departments
    concerned told; the file is archived (read-only) from now on."""
    payment_terms = (payment_terms or "").strip()
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_run_file(actor), _("Only procurement activates a supplier."))
        require_open(supplier)
        if supplier.stage != Stage.CONTRACTED:
            missing = missing_to_advance(SupplierParts.of(supplier))
            raise DomainError(
                _(
                    "Only a supplier whose contracts are signed can be activated; this one is at the %(stage)s "
                    "stage. %(missing)s"
                )
                % {"stage": Stage(supplier.stage).label, "missing": " ".join(missing)}
            )
        if not payment_terms:
            raise DomainError(_("Record the payment terms agreed with the supplier."), field="payment_terms")
        if len(payment_terms) > PAYMENT_TERMS_MAX:
            raise DomainError(
                _("Keep the payment terms under %(n)d characters.") % {"n": PAYMENT_TERMS_MAX}, field="payment_terms"
            )
        now = timezone.now()
        supplier.code = next_supplier_code(timezone.localdate(now).year)
        supplier.stage, supplier.payment_terms = Stage.ACTIVE, payment_terms
        supplier.activated_at, supplier.activated_by = now, actor
        save(supplier, actor, ["code", "stage", "payment_terms", "activated_at", "activated_by"], _("Activated"))
        record_step(supplier, actor=actor, action="activate", from_stage=Stage.CONTRACTED, note=supplier.code)
        notify_on_commit(
            _departments_concerned(),
            key=f"supplier-activated:{supplier.pk}",
            supplier=supplier,
            title=gettext_lazy("New supplier %(code)s %(supplier)s is active"),
            body=gettext_lazy("Payment terms: %(terms)s"),
            params={"terms": payment_terms},
        )
    return supplier


def _departments_concerned():
    """Procurement, the head of purchasing, the survey departments' heads and finance (who
    pays by the terms)."""
    heads = Department.objects.filter(code__in=survey_department_codes()).values("head")
    roles = [Role.PROCUREMENT.value, Role.PURCHASING_HEAD.value, Role.FINANCE.value]
    return User.objects.filter(Q(groups__name__in=roles) | Q(pk__in=heads), is_active=True).distinct()


def _suspension_step(*, actor, supplier, reason, suspend: bool) -> Supplier:
    reason = (reason or "").strip()
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_suspend(actor), _("Only procurement and the head of purchasing suspend or re-activate a supplier."))
        if supplier.stage != Stage.ACTIVE:
            raise DomainError(_("Only an active supplier can be suspended or re-activated."))
        if suspend and supplier.is_suspended:
            raise DomainError(_("The supplier is already suspended."))
        if not suspend and not supplier.is_suspended:
            raise DomainError(_("The supplier is not suspended."))
        if not reason:
            raise DomainError(_("Give the reason."), field="reason")
        if len(reason) > REASON_MAX:
            raise DomainError(_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}, field="reason")
        supplier.suspended_at = timezone.now() if suspend else None
        supplier.suspension_reason = reason if suspend else ""
        save(supplier, actor, ["suspended_at", "suspension_reason"], _("Suspended") if suspend else _("Re-activated"))
        record_step(supplier, actor=actor, action="suspend" if suspend else "reactivate", from_stage=Stage.ACTIVE,
                    note=reason)  # fmt: skip
    return supplier


def supplier_suspend(*, actor: User, supplier: Supplier, reason: str) -> Supplier:
    """SUP-07: an active supplier is suspended with a reason; it keeps its code."""
    return _suspension_step(actor=actor, supplier=supplier, reason=reason, suspend=True)


def supplier_reactivate(*, actor: User, supplier: Supplier, reason: str) -> Supplier:
    return _suspension_step(actor=actor, supplier=supplier, reason=reason, suspend=False)
