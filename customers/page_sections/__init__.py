"""The customer page is made of sections; each module here gives its section's context.

Each section runs a fixed number of queries, so the page costs the same whatever the number
of contacts, visits or purchases.
"""

from . import contacts, grade, loyalty, pending, purchases, timeline, visits

SECTIONS = (contacts, pending, grade, timeline, purchases, visits, loyalty)


def page_context(customer, user) -> dict:
    context: dict = {}
    for section in SECTIONS:
        context.update(section.context(customer, user))
    return context
