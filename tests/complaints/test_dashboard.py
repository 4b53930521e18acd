"""The complaints block of the dashboard (DSH-01): the complaints received in the period and the
one before, by category; the days from receipt to closing of those closed in the period; open
and overdue now (CMP-04); the links to the filtered list and the report (CMP-05); who sees the
block and over which complaints (ORG-02); its Excel download and a constant number of queries."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from complaints.dashboard import complaint_figures, complaint_present
from crm_project.accounts.roles import Role
from crm_project.dashboard.blocks import Scope, blocks
from crm_project.dashboard.periods import parse_period
from tests.complaints.factories import CLOSING, ComplaintFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = parse_period("2026-10")


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _mid_october(time_machine):
    time_machine.move_to("2026-10-15 10:00 +0800", tick=False)


def _complaint(received_at, *, category="quality", department=None, **fields):
    return ComplaintFactory(
        received_at=received_at,
        category=category,
        department=department,
        response_due_at=fields.pop("response_due_at", received_at + timedelta(days=3)),
        solution_due_at=fields.pop("solution_due_at", received_at + timedelta(days=7)),
        **fields,
    )


def _closed(received_at, closed_at, **fields):
    return _complaint(
        received_at, status="closed", closed_at=closed_at, responded_at=received_at + timedelta(hours=2), **CLOSING,
        **fields,
    )  # fmt: skip


@pytest.fixture
def data(quality, sales):
    """October: two quality complaints (one closed after 2 days, one investigating past its
    solution target), a delivery complaint past its first-response target, one not yet
    classified; a billing complaint of September closed in October after 12 days. September: an
    attitude complaint closed after 3 days. August: one more, outside both periods."""
    return {
        "quality closed": _closed(_at(10, 3), _at(10, 5), department=quality),
        "quality open": _complaint(
            _at(10, 3),
            department=quality,
            status="investigating",
            responded_at=_at(10, 3, 12),
            solution_due_at=_at(10, 10),
        ),
        "delivery": _complaint(_at(10, 10), category="delivery", department=quality, response_due_at=_at(10, 11)),
        "unclassified": _complaint(_at(10, 14), category=""),
        "billing": _closed(_at(9, 20), _at(10, 2), category="billing", department=sales),
        "attitude": _closed(_at(9, 5), _at(9, 8), category="attitude", department=sales),
        "august": _closed(_at(8, 1), _at(8, 3), category="quality", department=quality),
    }


def _block():
    return next(block for block in blocks._items.values() if block.key == "complaints")


def _references(response) -> set[str]:
    assert response.status_code == 200
    return {complaint.reference for complaint in response.context["object_list"]}


def _refs(data, *names) -> set[str]:
    return {data[name].reference for name in names}


def test_the_figures_for_customer_service(data, service):
    """DSH-01, CMP-04: received by category now and before, days to close, open and overdue now."""
    figures = complaint_figures(Scope(service, OCTOBER))
    assert (figures["received"], figures["previous"]["received"]) == (4, 2)
    assert (figures["closed"], figures["previous"]["closed"]) == (2, 1)
    # (2 days + 12 days) / 2 this period; the attitude complaint's 3 days the period before.
    assert (figures["average_days"], figures["previous"]["average_days"]) == (7.0, 3.0)
    assert (figures["open"], figures["overdue"]) == (3, 2)
    assert (figures["response_overdue"], figures["solution_overdue"]) == (1, 1)
    by_category = {row["category"]: row for row in figures["by_category"]}
    assert list(by_category) == ["quality", "delivery", "attitude", "billing", "none"]
    assert by_category["quality"] == {
        "category": "quality",
        "received": 2,
        "closed": 1,
        "average_days": 2.0,
        "previous": {"received": 0, "closed": 0, "average_days": None},
    }
    assert by_category["billing"]["received"] == 0 and by_category["billing"]["previous"]["received"] == 1
    assert (by_category["billing"]["closed"], by_category["billing"]["average_days"]) == (1, 12.0)
    assert by_category["attitude"]["previous"] == {"received": 1, "closed": 1, "average_days": 3.0}
    assert by_category["none"]["received"] == 1


def test_the_previous_period_is_the_same_figures_a_month_earlier(data, service):
    """DSH-01: September's own figures are what October compares with."""
    september = complaint_figures(Scope(service, parse_period("2026-09")))
    october = complaint_figures(Scope(service, OCTOBER))
    for name in ("received", "closed", "average_days"):
        assert september[name] == october["previous"][name]
    quarter = complaint_figures(Scope(service, parse_period("2026-Q4")))
    assert (quarter["received"], quarter["previous"]["received"]) == (4, 3)


def test_a_department_head_sees_their_departments_complaints(data, quality_head):
    """DSH-01, ORG-02: the head of Quality sees the block over the complaints assigned to Quality."""
    assert _block().visible(quality_head)
    figures = complaint_figures(Scope(quality_head, OCTOBER))
    assert (figures["received"], figures["previous"]["received"]) == (3, 0)
    assert (figures["closed"], figures["average_days"]) == (1, 2.0)
    assert (figures["open"], figures["overdue"]) == (2, 2)


def test_management_sees_everything_or_one_department(data, gm, quality):
    """DSH-01: management's department filter is the complaint's responsible department."""
    assert complaint_figures(Scope(gm, OCTOBER))["received"] == 4
    figures = complaint_figures(Scope(gm, OCTOBER, quality))
    assert (figures["received"], figures["closed"], figures["open"], figures["overdue"]) == (3, 1, 2, 2)


def test_who_sees_the_block(data, client_for, service, quality_head, gm, rep, manager, outsider):
    """DSH-01, ORG-02: management, customer service and department heads; a rep, a sales
    manager who heads nothing and operations staff do not — the key is absent from the API."""
    for user in (service, quality_head, gm):
        body = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"}).json()
        assert body["complaints"]["received"] == (3 if user == quality_head else 4)
    for user in (rep, manager, outsider):
        body = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"})
        assert body.status_code == 404 or "complaints" not in body.json()
        assert client_for(user).get("/dashboard/complaints/export/", {"period": "2026-10"}).status_code == 404
    head = UserFactory(username="sales_head", department=manager.department, roles=[Role.SALES_MANAGER])
    manager.department.head = head
    manager.department.save(update_fields=["head"])
    assert _block().visible(head)


def test_the_links_open_the_filtered_list_and_the_report(data, client_for, service):
    """DSH-01, DSH-03: every number and chart bar links to the complaint list, already filtered."""
    client = client_for(service)
    scope = Scope(service, OCTOBER)
    presentation = complaint_present(complaint_figures(scope), scope)
    numbers = {number.key: number for number in presentation.numbers}
    assert _references(client.get(numbers["received"].url)) == _refs(
        data, "quality closed", "quality open", "delivery", "unclassified"
    )
    assert _references(client.get(numbers["closed"].url)) == _refs(data, "quality closed", "billing")
    assert numbers["average-days"].url == numbers["closed"].url
    assert _references(client.get(numbers["open"].url)) == _refs(data, "quality open", "delivery", "unclassified")
    assert _references(client.get(numbers["overdue"].url)) == _refs(data, "quality open", "delivery")
    received, days = presentation.charts
    links = dict(zip(received.categories, received.links, strict=True))
    assert received.categories == ["product quality", "delivery", "service attitude", "billing", "not yet classified"]
    assert received.series[0].data == [2, 1, 0, 0, 1] and received.series[1].data == [0, 0, 1, 1, 0]
    assert _references(client.get(links["product quality"])) == _refs(data, "quality closed", "quality open")
    assert _references(client.get(links["not yet classified"])) == _refs(data, "unclassified")
    assert _references(client.get(links["billing"])) == set()
    closing = dict(zip(days.categories, days.links, strict=True))
    assert days.series[0].data == [2.0, None, None, 12.0, None]
    assert _references(client.get(closing["billing"])) == _refs(data, "billing")
    report = client.get(presentation.list_url)
    assert report.status_code == 200 and "start=2026-10&end=2026-10" in presentation.list_url
    assert report.context["report"].total == 4


def test_managements_department_links_keep_the_department(data, client_for, gm, quality):
    """DSH-01: under a department, the lists behind the numbers are that department's too."""
    scope = Scope(gm, OCTOBER, quality)
    numbers = {n.key: n for n in complaint_present(complaint_figures(scope), scope).numbers}
    assert f"department={quality.pk}" in numbers["received"].url
    assert _references(client_for(gm).get(numbers["received"].url)) == _refs(
        data, "quality closed", "quality open", "delivery"
    )


def test_the_page_and_the_excel_download(data, client_for, service):
    """DSH-01: the block on the page, and its figures as Excel."""
    client = client_for(service)
    page = client.get("/dashboard/", {"period": "2026-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="block-complaints"' in html and 'data-dashboard-chart="complaints-by-category"' in html
    download = client.get("/dashboard/complaints/export/", {"period": "2026-10"})
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    figures, by_category = (workbook[name] for name in workbook.sheetnames)
    rows = [[cell.value for cell in row] for row in figures.iter_rows(min_row=3)]
    assert ["Complaints received", 4, 2] in rows and ["Average days to close", 7, 3] in rows
    categories = [[cell.value for cell in row] for row in by_category.iter_rows(min_row=3)]
    assert categories[0] == ["product quality", 2, 0, 1, 2, None]
    assert categories[3] == ["billing", 0, 1, 1, 12, None]


def test_a_constant_number_of_queries(quality, service):
    """DSH-01: aggregate queries, the same number for 2 complaints as for 10."""

    def queries(count: int) -> int:
        for index in range(count):
            received = _at(10, 1 + index)
            if index % 2:
                _closed(received, received + timedelta(days=1), department=quality)
            else:
                _complaint(received, category=["quality", "delivery", "billing"][index % 3])
        scope = Scope(service, OCTOBER)
        complaint_figures(scope)  # the user's roles, once per request
        with CaptureQueriesContext(connection) as captured:
            complaint_present(complaint_figures(scope), scope)
        return len(captured)

    few = queries(2)
    assert few == queries(8) and few <= 3
