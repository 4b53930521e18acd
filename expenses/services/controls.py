"""Controls over fee data (EXP-13 … EXP-15): confidentiality exceptions, handing a leaving
rep's customers and open payouts to another rep, and investigations that block payouts."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify
from customers.models import Customer

from ..models import ConfidentialityException, Investigation, InvestigationStatus, Reassignment, SignoffSheet

CONTROLS_URL = "/fees/controls/"


def _people(role: Role, department_id: int | None):
    return User.objects.filter(groups__name=role, department_id=department_id, is_active=True).distinct()


def _in_department(user: User, department_id: int | None) -> bool:
    return user.department_id is not None and user.department_id == department_id


# --- confidentiality exceptions (EXP-13) ------------------------------------------------------


def exception_request(
    *, actor: User, grantee: User, rep: User, reason: str, valid_until: date
) -> ConfidentialityException:
    """A written request for `grantee` to see `rep`'s fee data until `valid_until`. It takes
    effect once the sales manager and then the sales director of the rep's department approve."""
    if not actor.has_role(Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE):
        raise PermissionDenied(_("Only the sales clerk, manager, director or finance file confidentiality requests."))
    if not reason or not reason.strip():
        raise DomainError(_("Say why the exception is needed."), field="reason")
    if not rep.has_role(Role.SALES_REP):
        raise DomainError(_("Fee data belongs to a sales representative: choose one."), field="rep")
    if grantee.pk == rep.pk:
        raise DomainError(_("A rep already sees their own fee data."), field="grantee")
    if valid_until < timezone.localdate():
        raise DomainError(_("The end date is in the past."), field="valid_until")
    with transaction.atomic():
        exception = ConfidentialityException.objects.create(
            requested_by=actor, grantee=grantee, rep=rep, reason=reason.strip(), valid_until=valid_until
        )
        transaction.on_commit(lambda: _notify_exception_step(exception.pk))
    return exception


def exception_next_step(exception: ConfidentialityException) -> str | None:
    """ "manager", "director", "clerk" (archive) or None when done or rejected."""
    if exception.rejected:
        return None
    if exception.manager_at is None:
        return "manager"
    if exception.director_at is None:
        return "director"
    if exception.archived_at is None:
        return "clerk"
    return None


STEP_ROLES = {"manager": Role.SALES_MANAGER, "director": Role.SALES_DIRECTOR, "clerk": Role.SALES_CLERK}


def may_take_exception_step(user: User, exception: ConfidentialityException) -> bool:
    step = exception_next_step(exception)
    return (
        step is not None
        and user.has_role(STEP_ROLES[step])
        and _in_department(user, exception.rep.department_id)
        and user.pk not in (exception.grantee_id, exception.rep_id)
    )


def _locked_exception(exception: ConfidentialityException) -> ConfidentialityException:
    return ConfidentialityException.objects.select_for_update(of=("self",)).select_related("rep").get(pk=exception.pk)


def _check_step(actor: User, exception: ConfidentialityException, allowed: tuple[str, ...]) -> str:
    step = exception_next_step(exception)
    if step is None:
        raise DomainError(_("This request is already decided."))
    waiting = _("This request is waiting for the %(step)s.") % {"step": STEP_LABELS[step]}
    if not actor.has_role(*STEP_ROLES.values()):
        raise PermissionDenied(_("Only the sales manager, director and clerk handle confidentiality exceptions."))
    if step not in allowed or not actor.has_role(STEP_ROLES[step]):
        raise DomainError(waiting)
    if not _in_department(actor, exception.rep.department_id):
        raise PermissionDenied(
            _("Only the %(step)s of the rep's department may do this.") % {"step": STEP_LABELS[step]}
        )
    if actor.pk in (exception.grantee_id, exception.rep_id):
        raise PermissionDenied(_("Nobody approves an exception for themselves."))
    return step


STEP_LABELS = {
    "manager": gettext_lazy("sales manager"),
    "director": gettext_lazy("sales director"),
    "clerk": gettext_lazy("sales clerk"),
}


def exception_approve(*, actor: User, exception: ConfidentialityException) -> ConfidentialityException:
    """The sales manager approves first, then the sales director; the director's approval is
    what opens the data to the grantee (access_rules.fee_data_rule)."""
    with transaction.atomic():
        exception = _locked_exception(exception)
        step = _check_step(actor, exception, ("manager", "director"))
        now = timezone.now()
        if step == "manager":
            exception.manager, exception.manager_at = actor, now
            exception.save(update_fields=["manager", "manager_at"])
        else:
            exception.director, exception.director_at = actor, now
            exception.save(update_fields=["director", "director_at"])
        transaction.on_commit(lambda: _notify_exception_step(exception.pk))
    return exception


def exception_reject(*, actor: User, exception: ConfidentialityException) -> ConfidentialityException:
    with transaction.atomic():
        exception = _locked_exception(exception)
        _check_step(actor, exception, ("manager", "director"))
        exception.rejected = True
        exception.save(update_fields=["rejected"])
        transaction.on_commit(
            lambda: notify(
                recipient=exception.requested_by,
                key=f"fee-exception-rejected:{exception.pk}",
                kind="fees",
                title=gettext_lazy("Your confidentiality exception request was rejected"),
                url=CONTROLS_URL,
            )
        )
    return exception


def exception_archive(*, actor: User, exception: ConfidentialityException) -> ConfidentialityException:
    """The sales clerk files the approved written request (EXP-13)."""
    with transaction.atomic():
        exception = _locked_exception(exception)
        _check_step(actor, exception, ("clerk",))
        exception.archived_by, exception.archived_at = actor, timezone.now()
        exception.save(update_fields=["archived_by", "archived_at"])
    return exception


def _notify_exception_step(exception_id: int) -> None:
    exception = ConfidentialityException.objects.select_related("rep", "grantee").get(pk=exception_id)
    step = exception_next_step(exception)
    if step is None:
        return
    params = {"grantee": exception.grantee.display_name, "rep": exception.rep.display_name}
    for person in _people(STEP_ROLES[step], exception.rep.department_id).exclude(
        pk__in=[exception.grantee_id, exception.rep_id]
    ):
        notify(
            recipient=person,
            key=f"fee-exception:{exception.pk}:{step}:{person.pk}",
            kind="fees",
            title=gettext_lazy("Confidentiality exception: %(grantee)s to see %(rep)s's fee data")
            if step != "clerk"
            else gettext_lazy("File the approved confidentiality exception for %(grantee)s"),
            params=params,
            url=CONTROLS_URL,
        )


# --- a leaving rep's customers and open payouts (EXP-14) --------------------------------------


def reps_reassign(*, actor: User, from_rep: User, to_rep: User, reason: str) -> Reassignment:
    """The sales manager hands all of `from_rep`'s customers and not-yet-written-off sign-off
    sheets to `to_rep`, in one transaction. Each customer's owner change is in its history."""
    if not actor.has_role(Role.SALES_MANAGER):
        raise PermissionDenied(_("Only the sales manager reassigns a rep's customers."))
    if from_rep.pk == to_rep.pk:
        raise DomainError(_("Choose another rep to take over."), field="to_rep")
    if not (to_rep.is_active and to_rep.has_role(Role.SALES_REP)):
        raise DomainError(_("The new owner must be an active sales representative."), field="to_rep")
    if not (_in_department(actor, from_rep.department_id) and _in_department(actor, to_rep.department_id)):
        raise PermissionDenied(_("You reassign only between reps of your own department."))
    if not reason or not reason.strip():
        raise DomainError(_("Say why the customers are handed over."), field="reason")
    with transaction.atomic():
        customers = list(Customer.objects.select_for_update().filter(owner=from_rep).order_by("pk"))
        sheets = list(
            SignoffSheet.objects.select_for_update().filter(payer=from_rep, written_off_at__isnull=True).order_by("pk")
        )
        if not customers and not sheets:
            raise DomainError(_("%(rep)s has no customers or open payouts.") % {"rep": from_rep.display_name})
        now = timezone.now()
        for customer in customers:
            customer.owner, customer.updated_at = to_rep, now
        bulk_update_with_history(
            customers, Customer, ["owner", "updated_at"], default_user=actor,
            default_change_reason=reason.strip()[:100], default_date=now,
        )  # fmt: skip
        SignoffSheet.objects.filter(pk__in=[sheet.pk for sheet in sheets]).update(payer=to_rep)
        reassignment = Reassignment.objects.create(
            from_rep=from_rep,
            to_rep=to_rep,
            by=actor,
            reason=reason.strip(),
            customer_ids=[customer.pk for customer in customers],
            sheet_ids=[sheet.pk for sheet in sheets],
        )
        transaction.on_commit(lambda: _notify_reassigned(reassignment.pk))
    return reassignment


def _notify_reassigned(reassignment_id: int) -> None:
    reassignment = Reassignment.objects.select_related("from_rep", "to_rep").get(pk=reassignment_id)
    notify(
        recipient=reassignment.to_rep,
        key=f"reps-reassigned:{reassignment.pk}",
        kind="customers",
        title=gettext_lazy("%(count)s customers of %(rep)s are now yours"),
        body=gettext_lazy("Open sign-off sheets handed to you: %(sheets)s."),
        params={
            "count": len(reassignment.customer_ids),
            "rep": reassignment.from_rep.display_name,
            "sheets": len(reassignment.sheet_ids),
        },
        url="/customers/",
    )


# --- investigations (EXP-15) ------------------------------------------------------------------

INVESTIGATOR_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.FINANCE)


def _check_investigator(actor: User, customer: Customer) -> None:
    if not actor.has_role(*INVESTIGATOR_ROLES):
        raise PermissionDenied(_("Only the sales clerk, manager and finance investigate a customer's flows."))
    if not actor.has_role(Role.FINANCE) and not _in_department(actor, customer.owner.department_id):
        raise PermissionDenied(_("This customer is not in your department."))


def investigation_open(*, actor: User, customer: Customer, reason: str) -> Investigation:
    """Open an investigation of the customer's purchase–sale–inventory flow. While it is open,
    the customer's statement lines are computed as blocked: nothing is paid for them."""
    customer = Customer.objects.select_related("owner").get(pk=customer.pk)
    _check_investigator(actor, customer)
    if not reason or not reason.strip():
        raise DomainError(_("Say what is to be investigated."), field="reason")
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one open investigation at a time
        if Investigation.objects.filter(customer=customer, status=InvestigationStatus.OPEN).exists():
            raise DomainError(_("An investigation of this customer is already open."), field="customer")
        investigation = Investigation.objects.create(customer=customer, opened_by=actor, reason=reason.strip())
    return investigation


def investigation_close(*, actor: User, investigation: Investigation, clear: bool, findings: str) -> Investigation:
    """Close with findings: a clear flow lifts the block; an unclear one keeps blocking payouts
    for the customer until a later investigation finds it clear."""
    if not findings or not findings.strip():
        raise DomainError(_("Record the findings."), field="findings")
    with transaction.atomic():
        investigation = (
            Investigation.objects.select_for_update(of=("self",))
            .select_related("customer__owner")
            .get(pk=investigation.pk)
        )
        _check_investigator(actor, investigation.customer)
        if investigation.status == InvestigationStatus.CLEAR:
            raise DomainError(_("This investigation is already closed."))
        if investigation.status == InvestigationStatus.UNCLEAR and not clear:
            raise DomainError(_("This flow is already flagged unclear."))
        now = timezone.now()
        findings = findings.strip()
        if investigation.findings:
            findings = f"{investigation.findings}\n\n{now:%Y-%m-%d}: {findings}"
        investigation.status = InvestigationStatus.CLEAR if clear else InvestigationStatus.UNCLEAR
        investigation.closed_by, investigation.closed_at, investigation.findings = actor, now, findings
        investigation.save(update_fields=["status", "closed_by", "closed_at", "findings"])
    return investigation


def blocked_customer_ids(customer_ids) -> set[int]:
    """Customers whose payouts an open or unclear investigation blocks (EXP-15)."""
    return set(
        Investigation.objects.filter(
            customer_id__in=list(customer_ids), status__in=[InvestigationStatus.OPEN, InvestigationStatus.UNCLEAR]
        ).values_list("customer_id", flat=True)
    )
