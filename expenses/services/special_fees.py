"""New-customer special fees 附表3 新客户特殊费用申请表 (EXP-09).

Applied for by the rep before the contract with the new customer is signed: an application
filed on or after the contract date is recorded as INVALID (rejected). Approved level by
level — the sales manager, then the sales director (both of the rep's department), then
finance — each step timestamped; nobody approves their own application or two steps of it.
Paid out by finance only once the customer has paid.

"The customer has paid" (`customer_has_paid`): purchases are monthly rows without a collection
date, so it means a purchase row of the customer for the month of filing or later with money
collected (collected_amount > 0).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify
from customers.models import Customer, Purchase
from customers.selectors import customer_visible_to

from ..models import EntryKind, SpecialFeeApplication, SpecialFeeStatus
from .advances import department_people, parse_amount, yuan
from .ledger import ledger_post


@dataclass(frozen=True)
class Step:
    """One approval level: the status it waits in, the role that takes it, the fields it fills."""

    name: str
    from_status: str
    to_status: str
    role: Role
    label: object


STEPS = [
    Step("manager", SpecialFeeStatus.PENDING, SpecialFeeStatus.MANAGER_APPROVED, Role.SALES_MANAGER,
         gettext_lazy("the sales manager")),
    Step("director", SpecialFeeStatus.MANAGER_APPROVED, SpecialFeeStatus.DIRECTOR_APPROVED, Role.SALES_DIRECTOR,
         gettext_lazy("the sales director")),
    Step("finance", SpecialFeeStatus.DIRECTOR_APPROVED, SpecialFeeStatus.APPROVED, Role.FINANCE,
         gettext_lazy("finance")),
]  # fmt: skip
STEP_BY_STATUS = {step.from_status: step for step in STEPS}
INVALID_NOTE = "filed on or after the contract date (EXP-09)"


def next_step(application: SpecialFeeApplication) -> Step | None:
    return STEP_BY_STATUS.get(application.status)


def may_take_step(user: User, application: SpecialFeeApplication, step: Step | None = None) -> bool:
    """Holds the step's role (manager and director: in the rep's department), is not the
    applicant, and has not approved an earlier step of it."""
    step = step or next_step(application)
    if step is None or user.pk == application.rep_id or not user.has_role(step.role):
        return False
    if user.pk in (application.manager_id, application.director_id, application.finance_id):
        return False
    return step.role == Role.FINANCE or user.department_id == application.rep.department_id


def customer_has_paid(application: SpecialFeeApplication) -> bool:
    """A purchase of the customer for the month of filing or later with money collected."""
    return Purchase.objects.filter(
        customer_id=application.customer_id,
        month__gte=application.filed_on.replace(day=1),
        collected_amount__gt=0,
    ).exists()


def special_fee_apply(
    *,
    actor: User,
    customer: Customer,
    planned_contract_date: date,
    amount,
    purpose: str,
    contract_signed_on: date | None = None,
) -> SpecialFeeApplication:
    """File a 附表3 for the rep's own customer. When the contract is already signed on or
    before today the application is recorded as INVALID (EXP-09) and goes no further."""
    if not actor.has_role(Role.SALES_REP):
        raise PermissionDenied(_("Only sales representatives apply for new-customer special fees."))
    if not customer_visible_to(actor).filter(pk=customer.pk, owner=actor).exists():
        raise PermissionDenied(_("You apply only for your own customers."))
    amount = parse_amount(amount)
    if not (purpose or "").strip():
        raise DomainError(_("Say what the special fee is for."), field="purpose")
    if planned_contract_date is None:
        raise DomainError(_("Give the planned contract date."), field="planned_contract_date")
    today = timezone.localdate()
    if contract_signed_on is not None and contract_signed_on > today:
        raise DomainError(_("A contract cannot have been signed in the future."), field="contract_signed_on")
    invalid = contract_signed_on is not None and today >= contract_signed_on
    if not invalid and planned_contract_date <= today:
        raise DomainError(
            _(
                "The planned contract date must be after today: "
                "an application on or after the contract date is invalid."
            ),
            field="planned_contract_date",
        )
    with transaction.atomic():
        application = SpecialFeeApplication.objects.create(
            rep=actor,
            customer=customer,
            filed_on=today,
            planned_contract_date=planned_contract_date,
            contract_signed_on=contract_signed_on,
            amount=amount,
            purpose=purpose.strip(),
            status=SpecialFeeStatus.INVALID if invalid else SpecialFeeStatus.PENDING,
            decided_note=INVALID_NOTE if invalid else "",
        )
        if not invalid:
            transaction.on_commit(lambda: notify_next_approvers(application.pk))
    return application


def _locked(application: SpecialFeeApplication) -> SpecialFeeApplication:
    return (
        SpecialFeeApplication.objects.select_for_update(of=("self",))
        .select_related("rep", "customer")
        .get(pk=application.pk)
    )


def _check_approver(actor: User, application: SpecialFeeApplication) -> Step:
    step = next_step(application)
    if step is None:
        raise DomainError(
            _("This application is %(status)s and waits for no approval.")
            % {"status": application.get_status_display()}
        )
    if actor.pk == application.rep_id:
        raise PermissionDenied(_("Nobody approves their own application."))
    if not any(actor.has_role(s.role) for s in STEPS):
        raise PermissionDenied(_("You do not approve new-customer special fees."))
    if actor.pk in (application.manager_id, application.director_id, application.finance_id):
        raise DomainError(_("You have already approved this application; the next level must be someone else."))
    if not may_take_step(actor, application, step):
        raise DomainError(_("This application waits for %(who)s.") % {"who": step.label})
    return step


def special_fee_approve(*, actor: User, application: SpecialFeeApplication) -> SpecialFeeApplication:
    """One level up: manager, then director, then finance (EXP-09)."""
    with transaction.atomic():
        application = _locked(application)
        step = _check_approver(actor, application)
        now = timezone.now()
        setattr(application, step.name, actor)
        setattr(application, f"{step.name}_at", now)
        application.status = step.to_status
        application.save(update_fields=["status", step.name, f"{step.name}_at"])
        transaction.on_commit(lambda: notify_next_approvers(application.pk))
    return application


def special_fee_reject(*, actor: User, application: SpecialFeeApplication, note: str) -> SpecialFeeApplication:
    """The level the application waits for turns it down, saying why."""
    if not (note or "").strip():
        raise DomainError(_("Say why the application is rejected."), field="note")
    with transaction.atomic():
        application = _locked(application)
        _check_approver(actor, application)
        application.status, application.decided_note = SpecialFeeStatus.REJECTED, note.strip()
        application.save(update_fields=["status", "decided_note"])
        transaction.on_commit(lambda: _notify_rep(application.pk, "rejected"))
    return application


def special_fee_record_contract(
    *, actor: User, application: SpecialFeeApplication, signed_on: date
) -> SpecialFeeApplication:
    """Record the day the contract was signed. Signed on or before the filing day → the
    application is invalid (EXP-09)."""
    with transaction.atomic():
        application = _locked(application)
        may_record = actor.pk == application.rep_id or (
            actor.has_role(Role.FINANCE)
            or (actor.has_role(Role.SALES_MANAGER, Role.SALES_DIRECTOR)
                and actor.department_id == application.rep.department_id)
        )  # fmt: skip
        if not may_record:
            raise PermissionDenied(_("Only the rep, their manager or director, or finance records the contract."))
        if application.contract_signed_on is not None:
            raise DomainError(_("The contract date is already recorded."), field="signed_on")
        if signed_on is None or signed_on > timezone.localdate():
            raise DomainError(_("Give the day the contract was signed (not a future day)."), field="signed_on")
        if application.status in (SpecialFeeStatus.REJECTED, SpecialFeeStatus.INVALID):
            raise DomainError(_("This application is already closed."))
        invalid = signed_on <= application.filed_on
        if invalid and application.status == SpecialFeeStatus.PAID:
            raise DomainError(
                _("This fee is already paid; a contract signed on or before the filing day makes it invalid — "
                  "finance must post a correction.")
            )  # fmt: skip
        application.contract_signed_on = signed_on
        fields = ["contract_signed_on"]
        if invalid:
            application.status, application.decided_note = SpecialFeeStatus.INVALID, INVALID_NOTE
            fields += ["status", "decided_note"]
            transaction.on_commit(lambda: _notify_rep(application.pk, "invalid"))
        application.save(update_fields=fields)
    return application


def special_fee_pay(*, actor: User, application: SpecialFeeApplication) -> SpecialFeeApplication:
    """Finance pays an approved special fee once the customer has paid (EXP-09), posting it to
    the ledger (EXP-03)."""
    if not actor.has_role(Role.FINANCE):
        raise PermissionDenied(_("Only finance pays special fees out."))
    with transaction.atomic():
        application = _locked(application)
        if application.status != SpecialFeeStatus.APPROVED:
            raise DomainError(
                _("Only an approved application is paid; this one is %(status)s.")
                % {"status": application.get_status_display()}
            )
        if not customer_has_paid(application):
            raise DomainError(
                _("%(customer)s has not paid yet: a new-customer special fee is paid only after the customer pays.")
                % {"customer": application.customer.name}
            )
        now = timezone.now()
        application.status, application.paid_at = SpecialFeeStatus.PAID, now
        application.save(update_fields=["status", "paid_at"])
        ledger_post(
            kind=EntryKind.SPECIAL_FEE,
            amount=application.amount,
            month=timezone.localdate(now).replace(day=1),
            rep=application.rep,
            posted_by=actor,
            customer=application.customer,
            note=f"附表3 #{application.pk}",
        )
        transaction.on_commit(lambda: _notify_rep(application.pk, "paid"))
    return application


# --- notifications ----------------------------------------------------------------------------


def _url(application: SpecialFeeApplication) -> str:
    return f"/fees/special-fees/{application.pk}/"


def notify_next_approvers(application_id: int) -> None:
    application = SpecialFeeApplication.objects.select_related("rep", "customer").get(pk=application_id)
    step = next_step(application)
    params = {"rep": application.rep.display_name, "customer": application.customer.name,
              "amount": yuan(application.amount)}  # fmt: skip
    if step is None:
        if application.status == SpecialFeeStatus.APPROVED:
            _notify_rep(application.pk, "approved")
        return
    for person in department_people(application.rep, step.role):
        if not may_take_step(person, application, step):
            continue
        notify(
            recipient=person,
            key=f"special-fee:{application.pk}:{step.name}:{person.pk}",
            kind="special-fee",
            title=gettext_lazy("Approve a new-customer special fee for %(customer)s"),
            body=gettext_lazy("%(rep)s applies for %(amount)s (附表3)."),
            params=params,
            url=_url(application),
        )


def _notify_rep(application_id: int, what: str) -> None:
    application = SpecialFeeApplication.objects.select_related("rep", "customer").get(pk=application_id)
    titles = {
        "approved": gettext_lazy("Your special fee for %(customer)s is approved"),
        "rejected": gettext_lazy("Your special fee for %(customer)s was rejected"),
        "invalid": gettext_lazy("Your special fee for %(customer)s is invalid: the contract was signed first"),
        "paid": gettext_lazy("Your special fee for %(customer)s is paid out"),
    }
    notify(
        recipient=application.rep,
        key=f"special-fee-{what}:{application.pk}",
        kind="special-fee",
        title=titles[what],
        body=gettext_lazy("%(note)s"),
        params={"customer": application.customer.name, "note": application.decided_note},
        url=_url(application),
    )
