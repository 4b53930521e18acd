"""Interactions 沟通记录 (CUS-08): phone, e-mail, WeChat, meeting, visit; a summary, the next
step and a follow-up date. Logged by whoever may work on the customer; management reads."""

from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.access import is_read_only
from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import Contact, Customer, Interaction, InteractionKind
from ..permissions import can_edit_customer


def can_log_interaction(user, customer: Customer) -> bool:
    """The owner and the department's clerk, manager and director; never management alone,
    never on an archived customer. The caller has checked that the customer is visible."""
    return can_edit_customer(user, customer)


def interaction_log(
    *,
    actor: User,
    customer: Customer,
    kind: str,
    occurred_at: datetime,
    summary: str,
    next_step: str = "",
    follow_up_date: date | None = None,
    contact: Contact | None = None,
) -> Interaction:
    """Log one interaction with a customer (CUS-08). The contact, if named, must be one of the
    customer's own; a follow-up cannot be before the interaction itself."""
    if is_read_only(actor):
        raise PermissionDenied(_("Management can read interactions but not log them."))
    if not can_log_interaction(actor, customer):
        if customer.is_archived:
            raise DomainError(_("This customer is archived; restore it before logging an interaction."))
        raise PermissionDenied(_("You may not log interactions for this customer."))
    if kind not in InteractionKind.values:
        raise DomainError(_("Choose how you were in touch: phone, e-mail, WeChat, meeting or visit."), field="kind")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("Write a short summary of the interaction."), field="summary")
    if occurred_at is None:
        raise DomainError(_("Say when the interaction took place."), field="occurred_at")
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    occurred_on = timezone.localdate(occurred_at)
    if occurred_on > timezone.localdate():
        raise DomainError(_("An interaction cannot be logged for a future date."), field="occurred_at")
    if follow_up_date is not None and follow_up_date < occurred_on:
        raise DomainError(
            _("The follow-up date cannot be before the interaction (%(date)s).") % {"date": occurred_on.isoformat()},
            field="follow_up_date",
        )
    if contact is not None and contact.customer_id != customer.pk:
        raise DomainError(_("This person is not a contact of %(customer)s.") % {"customer": customer}, field="contact")
    return Interaction.objects.create(
        customer=customer,
        contact=contact,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        next_step=(next_step or "").strip(),
        follow_up_date=follow_up_date,
        created_by=actor,
    )


# --- reads used by the lists, "My work" and the digest ---------------------------------------


def follow_ups_due(queryset: QuerySet[Interaction], *, until: date) -> QuerySet[Interaction]:
    """Open follow-ups due on or before `until`: a follow-up date is set, nothing has happened
    with the customer since (no later interaction, no visit completed after it: the database
    keeps `follow_up_open`), and the customer is not archived."""
    return queryset.filter(follow_up_open=True, follow_up_date__lte=until, customer__archived_at__isnull=True)


def follow_up_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today, today + timedelta(days=6)
