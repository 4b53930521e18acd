"""The customer page is made of sections; each topic module contributes its context here,
so the page runs a fixed number of queries per section whatever the record counts."""

from collections.abc import Callable

Section = Callable[[object, object], dict]

_sections: list[Section] = []


def section(function: Section) -> Section:
    _sections.append(function)
    return function


def page_context(customer, user) -> dict:
    context: dict = {}
    for function in _sections:
        context.update(function(customer, user))
    return context


@section
def contacts_section(customer, user) -> dict:
    from .models import Contact

    contacts = list(Contact.objects.filter(customer=customer, active=True))
    total = sum((c.fee_share for c in contacts if c.receives_fee), start=0)
    return {"contacts": contacts, "fee_share_total": total}
