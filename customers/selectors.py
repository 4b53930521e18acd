"""Reads. Every list, page, export, API call and job acting for a user starts from
`customer_visible_to(user)` (ORG-02, CUS-07)."""

from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from crm_project.accounts.access import visible_to

from .models import (
    Contact,
    Customer,
    CustomerSettings,
    Product,
    Purchase,
    Visit,
    VisitStatus,
    search_characters,
)
from .permissions import COMPANY_WIDE_FEEDER_ROLES, may_feed_purchases


def customer_visible_to(user) -> QuerySet[Customer]:
    return visible_to(user, Customer.objects.all())


def contact_visible_to(user) -> QuerySet[Contact]:
    return visible_to(user, Contact.objects.all())


def with_may_open_customer(queryset: QuerySet, user, path: str = "customer") -> QuerySet:
    """Annotate `may_open_customer`: whether `user` may open the row's customer page (ORG-02).
    Lists that show customers the viewer does not see (customer service's survey follow-ups,
    another department's) link only those they may open — one EXISTS, no query per row."""
    return queryset.annotate(may_open_customer=Exists(customer_visible_to(user).filter(pk=OuterRef(path))))


def purchase_visible_to(user) -> QuerySet[Purchase]:
    return visible_to(user, Purchase.objects.all())


def purchase_feed_customers(user) -> QuerySet[Customer]:
    """The customers whose purchase figures `user` may write (EXP-04): every customer for the
    ERP integration and finance, the department's for the sales clerk (ORG-02). Rows of a
    customer the user owns are refused by the writers with their own message."""
    if not may_feed_purchases(user):
        return Customer.objects.none()
    if user.is_superuser or user.has_role(*COMPANY_WIDE_FEEDER_ROLES):
        return Customer.objects.all()
    return customer_visible_to(user)


def visit_visible_to(user) -> QuerySet[Visit]:
    return visible_to(user, Visit.objects.all())


def product_list() -> QuerySet[Product]:
    return Product.objects.filter(active=True)


def overdue_visit_exists(today: date | None = None) -> Exists:
    """The customer has a planned visit whose date has passed (CUS-09), as a condition."""
    today = today or timezone.localdate()
    return Exists(Visit.objects.filter(customer=OuterRef("pk"), status=VisitStatus.PLANNED, planned_date__lt=today))


def mark_overdue_visits(customers: list[Customer], today: date | None = None) -> list[Customer]:
    """Set `has_overdue_visit` on a page of customers with one query over their visits. As an
    annotation of the whole list, PostgreSQL would hash every overdue visit of the department
    to mark the 25 rows shown."""
    today = today or timezone.localdate()
    overdue = set(
        Visit.objects.filter(
            customer__in=[customer.pk for customer in customers], status=VisitStatus.PLANNED, planned_date__lt=today
        ).values_list("customer_id", flat=True)
    )
    for customer in customers:
        customer.has_overdue_visit = customer.pk in overdue
    return customers


def new_customer_since(today: date | None = None) -> date:
    """CUS-02: a customer whose first deal is after this date is "new"."""
    today = today or timezone.localdate()
    years = CustomerSettings.load().new_customer_years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def is_new_customer(customer: Customer, today: date | None = None) -> bool | None:
    if customer.first_deal_date is None:
        return None
    return customer.first_deal_date > new_customer_since(today)


# Terms this short have no trigram: the trigram index cannot answer them (a full scan of the
# scope), and two-character Chinese names (华盛, 深圳) are the commonest searches of all.
SHORT_TERM = 2


def search_customers(queryset: QuerySet[Customer], text: str) -> QuerySet[Customer]:
    """Name, code, phones, and the contacts' names and phones; Chinese included (华为 finds
    华为技术有限公司). Every length is answered from an index on the denormalised, lower-cased
    `search_text`: 3 characters and more from the trigram index (`customer_search_trgm`), 1 and
    2 from the characters index (`customer_search_chars`: the rows holding each character), the
    LIKE then keeping those where they stand together."""
    text = text.strip().lower()
    if not text:
        return queryset
    if len(text) <= SHORT_TERM:
        queryset = queryset.alias(search_chars=search_characters(F("search_text"))).filter(
            search_chars__contains=list(text)
        )
    # A plain LIKE on the lower-cased text: icontains (UPPER(…) LIKE UPPER(…)) takes no index.
    return queryset.filter(search_text__contains=text)
