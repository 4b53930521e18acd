"""DSH-01: the dashboard's page, Excel downloads and API, with a probe block standing in for the
apps' blocks (each app's blocks have their own tests)."""

import io

import pytest
from openpyxl import load_workbook

from crm_project.accounts.roles import Role
from crm_project.core.models import ExportLog
from crm_project.core.navigation import roles
from crm_project.dashboard import blocks as registry
from crm_project.dashboard.blocks import Chart, DashboardBlock, Number, Presentation, Series, Table

pytestmark = pytest.mark.django_db


def _figures(scope):
    return {
        "user": scope.user.username,
        "period": scope.period.code,
        "department": scope.department.code if scope.department else None,
    }


def _present(figures, scope):
    return Presentation(
        numbers=[Number("Probes", 7, previous=5, key="probes"), Number("Rate", 12.5, previous=None, unit="%")],
        charts=[Chart("probe-chart", "Probes by kind", "bar", ["a", "b"], [Series("Probes", [3, 4])])],
        tables=[Table("Probes", ["Kind", "Probes"], [["a", 3], ["b", 4]])],
    )


PROBE = DashboardBlock(
    key="probe", title="Probe", figures=_figures, present=_present, visible=roles(Role.SALES_MANAGER, Role.MANAGEMENT)
)


@pytest.fixture(autouse=True)
def only_the_probe(monkeypatch, time_machine):
    monkeypatch.setattr(registry.blocks, "_items", {"probe": PROBE})
    time_machine.move_to("2026-10-15 10:00 +0800", tick=False)


def test_the_page_shows_the_blocks_for_this_month_by_default(client_for, manager):
    """DSH-01: default period this month; numbers with their comparison; a chart's data; Excel."""
    page = client_for(manager).get("/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="block-probe"' in html and 'id="dashboard-period">2026-10<' in html
    assert "▲ +2 against the previous period (5)" in html
    assert 'id="probe-chart"' in html and 'data-dashboard-chart="probe-chart"' in html
    assert "/dashboard/probe/export/" in html
    assert page.context["scope"].period.code == "2026-10"


def test_a_period_of_each_kind(client_for, manager):
    """DSH-01: month, quarter or year."""
    client = client_for(manager)
    for code in ("2026-09", "2026-Q3", "2026"):
        assert client.get("/dashboard/", {"period": code}).context["scope"].period.code == code


def test_a_bad_period_is_a_400_with_the_reason_and_no_figures(client_for, manager):
    """DSH-01: bad input answers 400 with a message, never a 500."""
    client = client_for(manager)
    for bad in ("2026-13", "next month", "0001", "2026-Q9", "x" * 500):
        page = client.get("/dashboard/", {"period": bad})
        assert page.status_code == 400
        assert "Enter a period as a month" in page.content.decode()
        assert 'id="block-probe"' not in page.content.decode()
    answer = client.get("/api/v1/dashboard/", {"period": "2026-13"})
    assert answer.status_code == 400 and "period" in answer.json()
    assert client.get("/dashboard/probe/export/", {"period": "2026-13"}).status_code == 400


def test_only_management_picks_a_department(client_for, manager, gm, sales):
    """DSH-01, ORG-02: management may narrow to a department; a manager's scope is their own."""
    assert client_for(gm).get("/api/v1/dashboard/", {"department": sales.pk}).json()["probe"]["department"] == "sales"
    assert client_for(gm).get("/api/v1/dashboard/", {"department": 999999}).status_code == 400
    assert client_for(gm).get("/api/v1/dashboard/", {"department": "sales"}).status_code == 400
    # Not a choice a manager has: ignored, the manager's figures stay the department's by the access rules.
    assert client_for(manager).get("/api/v1/dashboard/", {"department": sales.pk}).json()["probe"]["department"] is None
    assert 'name="department"' in client_for(gm).get("/dashboard/").content.decode()
    assert 'name="department"' not in client_for(manager).get("/dashboard/").content.decode()


def test_the_api_has_the_period_and_the_visible_blocks_only(client_for, manager, rep):
    """DSH-01: a block the caller may not see is absent, not zero."""
    body = client_for(manager).get("/api/v1/dashboard/", {"period": "2026-Q3"}).json()
    assert body == {"period": "2026-Q3", "probe": {"user": "manager", "period": "2026-Q3", "department": None}}
    assert client_for(rep).get("/api/v1/dashboard/").status_code == 404
    assert client_for(rep).get("/dashboard/").status_code == 404


def test_a_block_s_excel_download_is_logged(client_for, manager, rep):
    """DSH-01, CUS-07: each block's data as Excel, logged; nobody downloads a block they may not see."""
    answer = client_for(manager).get("/dashboard/probe/export/", {"period": "2026-09"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="dashboard-probe-2026-09-')
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).worksheets[0]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Kind", "Probes"],
        ["a", 3],
        ["b", 4],
    ]
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count, log.query) == (manager, "dashboard-probe", 2, "period=2026-09")
    assert client_for(rep).get("/dashboard/probe/export/").status_code == 404
    assert client_for(manager).get("/dashboard/nothing/export/").status_code == 404


def test_the_navigation_offers_the_dashboard_to_those_who_see_a_block(client_for, manager, rep):
    """DSH-01: the menu entry only for someone with figures to see."""
    assert 'data-nav="dashboard"' in client_for(manager).get("/").content.decode()
    assert 'data-nav="dashboard"' not in client_for(rep).get("/").content.decode()


def test_management_lands_on_the_dashboard(client_for, gm, manager):
    """DSH-02: management's landing page is the dashboard, above any other panel of theirs."""
    html = client_for(gm).get("/").content.decode()
    assert 'id="panel-dashboard"' in html and 'id="block-probe"' in html
    assert 'id="panel-dashboard"' not in client_for(manager).get("/").content.decode()
