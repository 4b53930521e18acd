"""The customer's timeline (CUS-08): one chronological list of everything that happened with
a customer — interactions, completed visits, purchases (one entry per month), grade changes
and changes to the customer's data — newest first.

Later apps add their own kinds (complaints, surveys) by appending a provider in their
AppConfig.ready():

    from customers.timeline import TimelineEntry, providers
    providers.append(complaint_entries)

A provider takes the customer and a limit and returns at most `limit` of its newest entries,
in ONE query, so the customer page costs the same whatever the history's length.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.history import ACTIONS, history_entries

from .models import Customer, GradeChange, Interaction, Purchase, Visit, VisitStatus

DEFAULT_LIMIT = 50


@dataclass
class TimelineEntry:
    when: datetime  # aware; the sort key
    kind: str  # "interaction", "visit", "purchase", "grade", "change", or a later app's own
    title: str
    icon: str = "circle"  # a bootstrap-icons name
    who: str = ""
    text: str = ""  # the main text, shown as written (line breaks kept)
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value) pairs
    url: str = ""
    period: str = ""  # shown instead of the time when the entry covers a period (a month)
    highlight: bool = False


Provider = Callable[[Customer, int], list[TimelineEntry]]


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def interaction_entries(customer: Customer, limit: int) -> list[TimelineEntry]:
    rows = Interaction.objects.filter(customer=customer).select_related("created_by", "contact")[:limit]
    entries = []
    for row in rows:
        details = []
        if row.contact_id:
            details.append((_("Contact"), row.contact.name))
        if row.next_step:
            details.append((_("Next step"), row.next_step))
        if row.follow_up_date:
            details.append((_("Follow up on"), row.follow_up_date.isoformat()))
        entries.append(
            TimelineEntry(
                when=row.occurred_at,
                kind="interaction",
                title=row.get_kind_display(),
                icon={"phone": "telephone", "email": "envelope", "wechat": "chat-dots", "meeting": "people"}.get(
                    row.kind, "geo-alt"
                ),
                who=row.created_by.display_name,
                text=row.summary,
                details=details,
            )
        )
    return entries


def visit_entries(customer: Customer, limit: int) -> list[TimelineEntry]:
    rows = (
        Visit.objects.filter(customer=customer, status=VisitStatus.COMPLETED)
        .select_related("owner")
        .order_by("-completed_at", "-pk")[:limit]
    )
    entries = []
    for row in rows:
        details = [
            (label, value)
            for label, value in (
                (_("Purpose"), row.purpose),
                (_("People met"), row.people_met),
                (_("Needs"), row.needs),
                (_("Next actions"), row.next_actions),
            )
            if value
        ]
        entries.append(
            TimelineEntry(
                when=row.completed_at,
                kind="visit",
                title=_("Visit report"),
                icon="geo-alt",
                who=row.owner.display_name,
                text=row.findings,
                details=details,
            )
        )
    return entries


def purchase_entries(customer: Customer, limit: int) -> list[TimelineEntry]:
    rows = (
        Purchase.objects.filter(customer=customer)
        .values("month")
        .annotate(
            total=Sum("amount"),
            returned_total=Sum("returned_amount"),
            collected_total=Sum("collected_amount"),
            products=Count("product", distinct=True),
        )
        .order_by("-month")[:limit]
    )
    entries = []
    for row in rows:
        net = (row["total"] or Decimal(0)) - (row["returned_total"] or Decimal(0))
        entries.append(
            TimelineEntry(
                when=_start_of(row["month"]),
                kind="purchase",
                title=_("Purchases"),
                icon="cart",
                period=row["month"].strftime("%Y-%m"),
                text=_("¥%(amount)s in %(products)s products")
                % {"amount": f"{row['total']:,.2f}", "products": row["products"]},
                details=[
                    (_("Net sales"), f"¥{net:,.2f}"),
                    (_("Collected"), f"¥{row['collected_total'] or 0:,.2f}"),
                ],
            )
        )
    return entries


def grade_entries(customer: Customer, limit: int) -> list[TimelineEntry]:
    rows = GradeChange.objects.filter(customer=customer).select_related("changed_by")[:limit]
    return [
        TimelineEntry(
            when=row.changed_at,
            kind="grade",
            title=_("Grade %(old)s → %(new)s") % {"old": row.from_grade, "new": row.to_grade},
            icon="award",
            who=row.changed_by.display_name,
            text=row.reason,
        )
        for row in rows
    ]


# Grade changes have their own entries with the reason; the rest is bookkeeping.
_NOT_DATA_CHANGES = {str(Customer._meta.get_field(name).verbose_name) for name in ("grade",)}


def data_change_entries(customer: Customer, limit: int) -> list[TimelineEntry]:
    entries = []
    for entry in history_entries(customer, limit=limit):
        changes = [change for change in entry.changes if change.label not in _NOT_DATA_CHANGES]
        if entry.changes and not changes:
            continue
        if not changes and entry.action != str(ACTIONS["+"]):
            continue
        entries.append(
            TimelineEntry(
                when=entry.when,
                kind="change",
                title=_("Customer created") if not changes else _("Data changed"),
                icon="pencil-square",
                who=entry.who,
                text=entry.reason,
                details=[
                    (_("%(field)s changed") % {"field": change.label}, f"{change.old} → {change.new}")
                    for change in changes
                ],
            )
        )
    return entries


providers: list[Provider] = [interaction_entries, visit_entries, purchase_entries, grade_entries, data_change_entries]


def customer_timeline(customer: Customer, limit: int = DEFAULT_LIMIT) -> list[TimelineEntry]:
    """The newest `limit` entries of every provider, merged, newest first."""
    entries: list[TimelineEntry] = []
    for provider in providers:
        entries.extend(provider(customer, limit))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
