"""My tenant visits on "My work" (DSH-02, TEN-08): the overdue ones and those due within the
coming working week, for operations staff. Imported from TenantsConfig.ready()."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm_project.accounts.access import is_read_only
from crm_project.accounts.roles import Role
from crm_project.core.navigation import WorkPanel, panels
from crm_project.workdays.calendar import add_working_days

from .selectors_visits import my_open_visits

SHOWN = 8
DUE_WORKING_DAYS = 5


def _rows(request) -> dict:
    today = timezone.localdate()
    rows = list(my_open_visits(request.user, until=add_working_days(today, DUE_WORKING_DAYS))[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN, "today": today}


def _visits_tenants(user) -> bool:
    return user.is_authenticated and user.has_role(Role.OPERATIONS) and not is_read_only(user)


panels.add(
    WorkPanel(
        key="tenant_visits",
        title=_("My tenant visits"),
        template="tenants/_panel_visits.html",
        context=_rows,
        order=46,
        visible=_visits_tenants,
    )
)
