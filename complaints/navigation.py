"""The complaints entry in the navigation bar: customer service, management, the staff who
investigate and department heads (who see what is assigned to their department)."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, nav

from .permissions import heads_a_department


def sees_complaints_menu(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_role(Role.CUSTOMER_SERVICE, Role.MANAGEMENT, Role.SPECIALIST):
        return True
    return heads_a_department(user)


nav.add(
    NavItem(
        key="complaints",
        label=_("Complaints"),
        url_name="complaints:complaint_list",
        icon="exclamation-triangle",
        order=50,
        visible=sees_complaints_menu,
    )
)
