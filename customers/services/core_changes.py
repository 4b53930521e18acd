"""Reviewed core-data changes (CUS-06): a rep's change to name, legal representative, bank
details or grade waits for the sales manager's confirmation before it takes effect."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.messages import Lines
from crm_project.notifications.services import notify

from ..models import ChangeStatus, CoreDataChange, Customer
from ..permissions import can_review_core_change
from .search import customer_refresh_search_text


def reviewers_for(customer: Customer):
    """The sales managers of the owner's department: who must confirm (CUS-06)."""
    return User.objects.filter(
        groups__name=Role.SALES_MANAGER, department_id=customer.owner.department_id, is_active=True
    ).distinct()


def _field_names(names) -> Lines:
    """The changed fields by their labels, translated when the notification is read (JOB-10)."""
    return Lines([Customer._meta.get_field(name).verbose_name for name in names], join=", ")


def core_change_request(*, actor: User, customer: Customer, new_values: dict, reason: str = "") -> CoreDataChange:
    """File the change; nothing on the customer changes yet. One pending change per customer."""
    from .grading import GRADE_FIELD

    if not new_values:
        raise DomainError(_("Nothing to change."))
    if GRADE_FIELD in new_values and not reason.strip():
        raise DomainError(_("Say why the grade should change."), field="reason")
    old_values = {name: getattr(customer, name) for name in new_values}
    try:
        with transaction.atomic():
            change = CoreDataChange.objects.create(
                customer=customer,
                requested_by=actor,
                old_values=old_values,
                new_values=new_values,
                reason=reason,
            )
    except IntegrityError:
        raise DomainError(
            _("A change to this customer is already waiting for the manager; wait for it to be decided first.")
        ) from None
    for reviewer in reviewers_for(customer):
        transaction.on_commit(
            lambda reviewer=reviewer: notify(
                recipient=reviewer,
                key=f"core-change:{change.pk}:{reviewer.pk}",
                kind="customer-change",
                title=gettext_lazy("Confirm a change to %(customer)s"),
                body=gettext_lazy("%(rep)s changed %(fields)s. It takes effect when you confirm it."),
                params={"customer": customer.name, "rep": actor.display_name, "fields": _field_names(new_values)},
                url=f"/customers/{customer.pk}/",
            )
        )
    return change


def _decide(*, actor: User, change: CoreDataChange) -> CoreDataChange:
    change = CoreDataChange.objects.select_for_update().select_related("customer").get(pk=change.pk)
    if not can_review_core_change(actor):
        raise PermissionDenied(_("Only the sales manager may confirm changes to core data."))
    if change.status != ChangeStatus.PENDING:
        raise DomainError(_("This change has already been decided."))
    if change.requested_by_id == actor.pk:
        raise DomainError(_("Nobody confirms their own change."))
    return change


def core_change_confirm(*, actor: User, change: CoreDataChange, note: str = "") -> CoreDataChange:
    """Apply the change (CUS-06); a grade goes through the grade history (CUS-03)."""
    from .grading import GRADE_FIELD, grade_apply

    with transaction.atomic():
        change = _decide(actor=actor, change=change)
        customer = Customer.objects.select_for_update().get(pk=change.customer_id)
        values = dict(change.new_values)
        grade = values.pop(GRADE_FIELD, None)
        if values:
            for name, value in values.items():
                setattr(customer, name, value)
            customer.save(update_fields=[*values, "updated_at"])
            customer_refresh_search_text(customer_ids=[customer.pk])
        if grade:
            grade_apply(customer=customer, grade=grade, reason=change.reason, actor=change.requested_by)
        change.status, change.decided_by, change.decided_at, change.decision_note = (
            ChangeStatus.APPROVED,
            actor,
            timezone.now(),
            note,
        )
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return change


def core_change_reject(*, actor: User, change: CoreDataChange, note: str) -> CoreDataChange:
    if not note.strip():
        raise DomainError(_("Say why the change is rejected."), field="note")
    with transaction.atomic():
        change = _decide(actor=actor, change=change)
        change.status, change.decided_by, change.decided_at, change.decision_note = (
            ChangeStatus.REJECTED,
            actor,
            timezone.now(),
            note,
        )
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return change
