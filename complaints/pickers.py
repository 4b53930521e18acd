"""Pickers of complaint intake (CMP-01): customer service takes in complaints about any
customer, so it picks from all of them (name and code only), and from the contacts of the
customer it picked; sales picks from what it sees. See crm_project/core/pickers.py."""

from crm_project.core.pickers import Source, register
from customers.models import Contact, Customer
from customers.pickers import contacts_of, customer_label, search_contacts
from customers.selectors import search_customers

from .selectors import customers_for_intake

register(
    Source(
        name="intake-customers",
        model=Customer,
        queryset=lambda user, params: customers_for_intake(user),
        search=search_customers,
        order=("name", "pk"),
        label=customer_label,
        only=("pk", "name", "code"),
    )
)
register(
    Source(
        name="intake-contacts",
        model=Contact,
        queryset=contacts_of(customers_for_intake),
        search=search_contacts,
        order=("name", "pk"),
        params=("customer",),
        only=("pk", "name"),
    )
)
