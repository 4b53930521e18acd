"""The tenant requests block of the dashboard (DSH-01, TEN-02, TEN-03): the requests logged in
the period and the one before, by category; those that breached their response or resolution
standard; open now and past a target; the hours to resolve those resolved in the period; the
links to the filtered request log; who sees the block (operations and management, ORG-02); its
Excel download and a constant number of queries."""

import io
import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.accounts.roles import Role
from crm_project.dashboard.blocks import Scope, blocks
from crm_project.dashboard.periods import parse_period
from tenants import standards
from tenants.dashboard import request_figures, request_present
from tenants.models import Status, TenantRequest
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = parse_period("2026-10")
_numbers = itertools.count(1)


def _at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _mid_october(time_machine):
    time_machine.move_to("2026-10-15 10:00 +0800", tick=False)


def _request(tenant, category, logged_at, *, department=None, status=Status.CONFIRMED, responded=None, resolved=None):
    """A row of the request log with its standard's targets (TEN-03); `responded` / `resolved`
    are the hours after logging it was answered / resolved."""
    return TenantRequest.objects.create(
        reference=f"TR-T-{next(_numbers):05d}",
        channel="hotline",
        category=category,
        tenant=tenant,
        unit=tenant.unit,
        description="空调不制冷",
        department=department,
        status=status,
        logged_at=logged_at,
        response_due_at=standards.due_at(category, "respond", logged_at),
        resolve_due_at=standards.due_at(category, "resolve", logged_at),
        responded_at=logged_at + timedelta(hours=responded) if responded is not None else None,
        resolved_at=logged_at + timedelta(hours=resolved) if resolved is not None else None,
    )


@pytest.fixture
def data(tenant, engineering, operations):
    """October: a repair resolved in 30 h within its standards; a repair answered after 3 h (the
    standard: 2) and resolved after 60 h (48); an emergency still unanswered past its 15 minutes
    and 4 hours; an inquiry and a suggestion still open, within their targets. September: a repair
    resolved in 10 h, an emergency answered after 30 minutes and resolved in October after 72 h.
    August: one more, outside both periods."""
    return {
        "repair ok": _request(tenant, "repair", _at(10, 2), department=engineering, responded=1, resolved=30),
        "repair late": _request(tenant, "repair", _at(10, 5), department=engineering, responded=3, resolved=60),
        "emergency": _request(tenant, "emergency", _at(10, 14, 9), department=engineering, status=Status.ASSIGNED),
        "inquiry": _request(tenant, "inquiry", _at(10, 15, 8), department=operations, status=Status.ASSIGNED),
        "suggestion": _request(tenant, "suggestion", _at(10, 10), status=Status.LOGGED),
        "september repair": _request(tenant, "repair", _at(9, 20), department=engineering, responded=1, resolved=10),
        "september emergency": _request(
            tenant, "emergency", _at(9, 28), department=operations, responded=0.5, resolved=72
        ),
        "august": _request(tenant, "repair", _at(8, 1), department=engineering, responded=1, resolved=5),
    }


def _block():
    return next(block for block in blocks._items.values() if block.key == "tenant_requests")


def _references(response) -> set[str]:
    assert response.status_code == 200
    return {request.reference for request in response.context["object_list"]}


def _refs(data, *names) -> set[str]:
    return {data[name].reference for name in names}


def test_the_figures_for_operations(data, desk):
    """DSH-01, TEN-03: logged by category now and before, the breaches, open now, hours to resolve."""
    figures = request_figures(Scope(desk, OCTOBER))
    assert (figures["logged"], figures["previous"]["logged"]) == (5, 2)
    assert (figures["breached"], figures["previous"]["breached"]) == (2, 1)
    assert (figures["response_breached"], figures["resolution_breached"]) == (2, 2)
    # 30 h, 60 h and the September emergency's 72 h resolved in October; 10 h in September.
    assert (figures["resolved"], figures["previous"]["resolved"]) == (3, 1)
    assert (figures["average_hours"], figures["previous"]["average_hours"]) == (54.0, 10.0)
    assert (figures["open"], figures["open_breached"]) == (3, 1)
    by_category = {row["category"]: row for row in figures["by_category"]}
    assert list(by_category) == ["emergency", "repair", "inquiry", "suggestion"]
    assert by_category["repair"] == {
        "category": "repair",
        "logged": 2,
        "breached": 1,
        "response_breached": 1,
        "resolution_breached": 1,
        "resolved": 2,
        "average_hours": 45.0,
        "previous": {"logged": 1, "breached": 0, "resolved": 1, "average_hours": 10.0},
    }
    emergency = by_category["emergency"]
    assert (emergency["logged"], emergency["breached"], emergency["resolved"], emergency["average_hours"]) == (
        1, 1, 1, 72.0,
    )  # fmt: skip
    assert emergency["previous"] == {"logged": 1, "breached": 1, "resolved": 0, "average_hours": None}


def test_the_previous_period_is_the_same_figures_a_month_earlier(data, desk):
    """DSH-01: September's own figures are what October compares with."""
    september = request_figures(Scope(desk, parse_period("2026-09")))
    october = request_figures(Scope(desk, OCTOBER))
    for name in ("logged", "breached", "resolved", "average_hours"):
        assert september[name] == october["previous"][name]
    quarter = request_figures(Scope(desk, parse_period("2026-Q4")))
    assert (quarter["logged"], quarter["previous"]["logged"]) == (5, 3)


def test_management_sees_everything_or_one_handling_department(data, gm, engineering):
    """DSH-01: management's department filter is the department a request is assigned to."""
    assert request_figures(Scope(gm, OCTOBER))["logged"] == 5
    figures = request_figures(Scope(gm, OCTOBER, engineering))
    assert (figures["logged"], figures["previous"]["logged"], figures["breached"]) == (3, 1, 2)
    assert (figures["resolved"], figures["average_hours"], figures["previous"]["average_hours"]) == (2, 45.0, 10.0)
    assert (figures["open"], figures["open_breached"]) == (1, 1)


def test_who_sees_the_block(data, client_for, desk, ops_manager, gm, rep, engineer):
    """DSH-01, ORG-02: the operations staff and manager and management; a rep, customer service
    and the staff of a handling department do not — the key is absent from the API."""
    for user in (desk, ops_manager, gm):
        assert _block().visible(user)
        body = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"}).json()
        assert body["tenant_requests"]["logged"] == 5
    service = UserFactory(
        username="service", department=DepartmentFactory(code="customer-service"), roles=[Role.CUSTOMER_SERVICE]
    )
    for user in (rep, engineer, service):
        assert not _block().visible(user)
        answer = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"})
        assert answer.status_code == 404 or "tenant_requests" not in answer.json()
        assert client_for(user).get("/dashboard/tenant_requests/export/", {"period": "2026-10"}).status_code == 404


def test_the_links_open_the_filtered_request_log(data, client_for, desk):
    """DSH-01, DSH-03: every number and bar links to the request log, already filtered."""
    client = client_for(desk)
    scope = Scope(desk, OCTOBER)
    presentation = request_present(request_figures(scope), scope)
    numbers = {number.key: number for number in presentation.numbers}
    october = _refs(data, "repair ok", "repair late", "emergency", "inquiry", "suggestion")
    assert _references(client.get(numbers["logged"].url)) == october
    assert _references(client.get(presentation.list_url)) == october
    assert _references(client.get(numbers["breached"].url)) == _refs(data, "repair late", "emergency")
    assert _references(client.get(numbers["open"].url)) == _refs(data, "emergency", "inquiry", "suggestion")
    assert _references(client.get(numbers["open-breached"].url)) == _refs(data, "emergency")
    resolved = _refs(data, "repair ok", "repair late", "september emergency")
    assert _references(client.get(numbers["resolved"].url)) == resolved
    assert numbers["average-hours"].url == numbers["resolved"].url
    by_category, breaches = presentation.charts
    assert by_category.categories == ["emergency", "repair", "inquiry", "suggestion"]
    assert by_category.series[0].data == [1, 2, 1, 1] and by_category.series[1].data == [1, 1, 0, 0]
    links = dict(zip(by_category.categories, by_category.links, strict=True))
    assert _references(client.get(links["repair"])) == _refs(data, "repair ok", "repair late")
    assert breaches.series[0].data == [1, 1, 0, 0] and breaches.series[1].data == [1, 1, 0, 0]
    breach_links = dict(zip(breaches.categories, breaches.links, strict=True))
    assert _references(client.get(breach_links["repair"])) == _refs(data, "repair late")
    assert _references(client.get(breach_links["inquiry"])) == set()


def test_managements_department_links_keep_the_department(data, client_for, gm, engineering):
    """DSH-01: under a department, the lists behind the numbers are that department's too."""
    scope = Scope(gm, OCTOBER, engineering)
    numbers = {n.key: n for n in request_present(request_figures(scope), scope).numbers}
    assert f"department={engineering.pk}" in numbers["logged"].url
    assert _references(client_for(gm).get(numbers["logged"].url)) == _refs(
        data, "repair ok", "repair late", "emergency"
    )


def test_the_page_and_the_excel_download(data, client_for, desk):
    """DSH-01: the block on the page, and its figures as Excel."""
    client = client_for(desk)
    page = client.get("/dashboard/", {"period": "2026-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="block-tenant_requests"' in html and 'data-dashboard-chart="tenant-requests-by-category"' in html
    download = client.get("/dashboard/tenant_requests/export/", {"period": "2026-10"})
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    figures, by_category = (workbook[name] for name in workbook.sheetnames)
    rows = [[cell.value for cell in row] for row in figures.iter_rows(min_row=3)]
    assert ["Tenant requests logged", 5, 2] in rows and ["Average hours to resolve", 54, 10] in rows
    categories = [[cell.value for cell in row] for row in by_category.iter_rows(min_row=3)]
    assert categories[1] == ["repair", 2, 1, 1, 1, 1, 2, 45, 10]


def test_a_constant_number_of_queries(tenant, engineering, desk):
    """DSH-01: aggregate queries, the same number for 2 requests as for 10."""

    def queries(count: int) -> int:
        for index in range(count):
            category = ["repair", "emergency", "inquiry", "suggestion"][index % 4]
            done = {"responded": 1, "resolved": 5} if index % 2 else {"status": Status.ASSIGNED}
            _request(tenant, category, _at(10, 1 + index), department=engineering, **done)
        scope = Scope(desk, OCTOBER)
        request_figures(scope)  # the user's roles, once per request
        with CaptureQueriesContext(connection) as captured:
            request_present(request_figures(scope), scope)
        return len(captured)

    few = queries(2)
    assert few == queries(8) and few <= 2
