"""The dashboard in the navigation, and as management's landing page (DSH-01, DSH-02)."""

from django.utils.translation import gettext_lazy as _

from crm_project.accounts.roles import Role
from crm_project.core.navigation import NavItem, WorkPanel, nav, panels, roles

from .blocks import blocks_for
from .forms import DashboardQueryForm


def _sees_a_block(user) -> bool:
    return bool(blocks_for(user))


def landing(request) -> dict:
    from .views import dashboard_context

    form = DashboardQueryForm({}, user=request.user)  # this month, everything the user may see
    form.is_valid()
    return dashboard_context(request, form)


nav.add(NavItem(key="dashboard", label=_("Dashboard"), url_name="dashboard:page", icon="bar-chart-line", order=5,
                visible=_sees_a_block))  # fmt: skip

panels.add(
    WorkPanel(
        key="dashboard",
        title=_("Dashboard"),
        template="dashboard/_landing.html",
        context=landing,
        order=1,
        visible=roles(Role.MANAGEMENT),
        wide=True,
    )
)
