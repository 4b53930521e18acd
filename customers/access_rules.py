"""Customers in the access registry (ORG-02, CUS-07): a rep sees their own customers; the
sales clerk, manager and director see their department's; management sees all, read-only.
Everything hanging off a customer is visible exactly when its customer is."""

from crm_project.accounts import access

from .models import (
    Contact,
    ContactChangeRequest,
    CoreDataChange,
    Customer,
    GradeChange,
    ImportBatch,
    Industry,
    Interaction,
    LoyaltyEntry,
    Product,
    Purchase,
    Visit,
)

customer_rule = access.owned_by_department("owner")
# The same rule on the customer's owner, as a join: `customer IN (the visible customers)` would
# make PostgreSQL hash the department's customers before it looks at one visit.
_through_customer = access.owned_by_department("customer__owner")


access.register(Customer, customer_rule)
for model in (Contact, ContactChangeRequest, CoreDataChange, GradeChange, Interaction, LoyaltyEntry, Purchase, Visit):
    access.register(model, _through_customer)
access.register(ImportBatch, access.own_records("uploaded_by"))
# Reference lists every member of staff may read.
access.register(Product, lambda user, queryset: queryset)
access.register(Industry, lambda user, queryset: queryset)
