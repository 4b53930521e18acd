"""Creating, editing and archiving customers (CUS-01, CUS-02, CUS-06, CUS-11)."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import CoreDataChange, Customer
from ..permissions import can_archive_customer, can_create_customer, can_edit_customer, edits_need_review
from .core_changes import core_change_request
from .search import customer_refresh_search_text

# Fields a rep changes only through the manager's review (CUS-06). The grade has its own
# form with a reason (CUS-03), so it is not edited here.
REVIEWED_FIELDS = ("name", "legal_representative", "bank_name", "bank_account")


def next_customer_code() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('customers_customer_code_seq')")
        (number,) = cursor.fetchone()
    code = f"C{number:06d}"
    while Customer.objects.filter(code=code).exists():  # an imported code may have taken it
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('customers_customer_code_seq')")
            (number,) = cursor.fetchone()
        code = f"C{number:06d}"
    return code


def _check_owner(*, actor: User, owner: User | None) -> User:
    if owner is None or owner == actor:
        return actor
    if not (actor.is_superuser or actor.has_role(Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.SALES_CLERK)):
        raise PermissionDenied(_("Only the sales manager, director or clerk may give a customer to another rep."))
    if not owner.has_role(Role.SALES_REP) or not owner.is_active:
        raise DomainError(_("The owner must be an active sales representative."), field="owner")
    if not actor.is_superuser and owner.department_id != actor.department_id:
        raise DomainError(_("The owner must be a sales representative of your department."), field="owner")
    return owner


def customer_create(*, actor: User, data: dict, owner: User | None = None) -> Customer:
    """A new customer, owned by the rep who creates it unless a manager names another."""
    if not can_create_customer(actor):
        raise PermissionDenied(_("You may not create customers."))
    owner = _check_owner(actor=actor, owner=owner)
    with transaction.atomic():
        fields = {key: value for key, value in data.items() if key not in {"owner", "code"}}
        customer = Customer(**fields, owner=owner, code=(data.get("code") or "").strip() or next_customer_code())
        if Customer.objects.filter(code=customer.code).exists():
            raise DomainError(_("Customer code %(code)s is already in use.") % {"code": customer.code}, field="code")
        customer.save()
        customer_refresh_search_text(customer_ids=[customer.pk])
    return customer


def customer_update(*, actor: User, customer: Customer, data: dict) -> CoreDataChange | None:
    """Apply an edit. A rep's change to name, legal representative or bank details becomes a
    pending change for the manager (CUS-06) and is returned; the rest applies at once."""
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if not can_edit_customer(actor, customer):
            raise PermissionDenied(_("You may not edit this customer."))
        if "owner" in data:
            data["owner"] = _check_owner(actor=actor, owner=data["owner"]) if data["owner"] != customer.owner else None
            if data["owner"] is None:
                data.pop("owner")
        changed = {name: value for name, value in data.items() if getattr(customer, name) != value}
        reviewed = {name: value for name, value in changed.items() if name in REVIEWED_FIELDS}
        pending = None
        if reviewed and edits_need_review(actor):
            pending = core_change_request(actor=actor, customer=customer, new_values=reviewed)
            changed = {name: value for name, value in changed.items() if name not in reviewed}
        if changed:
            for name, value in changed.items():
                setattr(customer, name, value)
            customer.save(update_fields=[*changed, "updated_at"])
            customer_refresh_search_text(customer_ids=[customer.pk])
    return pending


def customer_archive(*, actor: User, customer: Customer) -> Customer:
    """Archive rather than delete: a customer with history is never removed (CUS-01)."""
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if not can_archive_customer(actor, customer):
            raise PermissionDenied(_("Only the sales manager or director may archive a customer."))
        if customer.archived_at:
            raise DomainError(_("This customer is already archived."))
        customer.archived_at = timezone.now()
        customer.save(update_fields=["archived_at", "updated_at"])
    return customer


def customer_restore(*, actor: User, customer: Customer) -> Customer:
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if not can_archive_customer(actor, customer):
            raise PermissionDenied(_("Only the sales manager or director may restore a customer."))
        customer.archived_at = None
        customer.save(update_fields=["archived_at", "updated_at"])
    return customer
