"""Who may do what with customers. Services enforce these; templates use them to show or
hide buttons. Visibility itself is the access registry's (ORG-02)."""

from crm_project.accounts.access import is_read_only
from crm_project.accounts.roles import Role

SALES_ROLES = (Role.SALES_REP, Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR)
REVIEWER_ROLES = (Role.SALES_MANAGER, Role.SALES_DIRECTOR)


def is_sales(user) -> bool:
    return user.is_superuser or user.has_role(*SALES_ROLES)


def can_create_customer(user) -> bool:
    return not is_read_only(user) and is_sales(user)


def can_edit_customer(user, customer) -> bool:
    """Owner, the department's clerk/manager/director, or an admin; never management alone.
    The caller has already checked that the customer is visible to the user."""
    if is_read_only(user) or customer.is_archived:
        return False
    return user.is_superuser or customer.owner_id == user.pk or user.has_role(*SALES_ROLES[1:])


def edits_need_review(user) -> bool:
    """CUS-06: a rep's change to core data waits for the manager; a manager's does not."""
    return not (user.is_superuser or user.has_role(*REVIEWER_ROLES))


def can_review_core_change(user) -> bool:
    return not is_read_only(user) and (user.is_superuser or user.has_role(*REVIEWER_ROLES))


def can_archive_customer(user, customer) -> bool:
    return not is_read_only(user) and (user.is_superuser or user.has_role(*REVIEWER_ROLES))


def can_set_grade(user) -> bool:
    """A person sets the grade (CUS-03); a rep's grade change goes through review (CUS-06)."""
    return not is_read_only(user) and is_sales(user)


def can_bulk_regrade(user) -> bool:
    return not is_read_only(user) and (user.is_superuser or user.has_role(*REVIEWER_ROLES))


def can_approve_contact_change_as_manager(user) -> bool:
    return not is_read_only(user) and (user.is_superuser or user.has_role(Role.SALES_MANAGER))


def can_approve_contact_change_as_director(user) -> bool:
    return not is_read_only(user) and (user.is_superuser or user.has_role(Role.SALES_DIRECTOR))


def can_record_contact_change(user) -> bool:
    return not is_read_only(user) and (user.is_superuser or user.has_role(Role.SALES_CLERK))


# Purchase figures are the inputs of the rapport fees (EXP-02 tiers by net quantity, EXP-04
# collected ÷ net sales): the rep whose fees they make never sets them. They come from the
# ERP's integration user, the sales clerk (department's customers) or finance (all).
PURCHASE_FEEDER_ROLES = (Role.INTEGRATION, Role.SALES_CLERK, Role.FINANCE)
COMPANY_WIDE_FEEDER_ROLES = (Role.INTEGRATION, Role.FINANCE)


def may_feed_purchases(user) -> bool:
    """The bulk upsert, the purchases import and entering purchases by hand (CUS-10, EXP-04)."""
    if not user.is_authenticated or is_read_only(user):
        return False
    return user.is_superuser or user.has_role(*PURCHASE_FEEDER_ROLES)


def may_feed_purchases_of(user, customer) -> bool:
    """Never for a customer one owns: nobody sets the inputs of their own fees (EXP-04)."""
    return may_feed_purchases(user) and not customer.is_archived and customer.owner_id != user.pk


def can_create_product(user) -> bool:
    """The ERP keeps the product master; administrators maintain it too (CUS-10)."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMINISTRATOR, Role.INTEGRATION))
