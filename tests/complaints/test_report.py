"""The complaint report (CMP-05): by category, department, root cause and month, repeat
complaints highlighted, Excel export; the list and the report run a constant number of
queries; and who sees what (ORG-02)."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from complaints.reports import complaint_report
from complaints.selectors import complaint_visible_to
from crm_project.core.models import ExportLog
from tests.complaints.factories import ComplaintFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.usefixtures("english")

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = date(2026, 1, 1), date(2027, 1, 1)


def _at(month: int, day: int = 10) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


def _closed(**fields):
    return ComplaintFactory(**{"status": "closed", "satisfaction": 4, "preventive_action": "加严检验", **fields})


@pytest.fixture
def data(customer, other_customer, quality, sales):
    _closed(customer=customer, category="quality", department=quality, received_at=_at(3),
            closed_at=_at(3, 12), root_cause="  Late Delivery ")  # fmt: skip
    _closed(customer=customer, category="quality", department=quality, received_at=_at(5),
            closed_at=_at(5, 11), root_cause="late delivery")  # fmt: skip
    ComplaintFactory(customer=customer, category="quality", department=quality, received_at=_at(10))
    ComplaintFactory(customer=other_customer, category="billing", department=sales, received_at=_at(5))
    ComplaintFactory(customer=None, category="", received_at=_at(10, 20))
    ComplaintFactory(customer=customer, category="quality", received_at=datetime(2025, 12, 31, 10, tzinfo=SHANGHAI))


def _rows(rows):
    return {row.label: row.count for row in rows}


def test_it_groups_by_category_department_cause_and_month(data, service):
    """CMP-05"""
    report = complaint_report(complaint_visible_to(service), start=START, end=END)
    assert report.total == 5
    assert _rows(report.by_category) == {"product quality": 3, "billing": 1, "unclassified": 1}
    assert _rows(report.by_department) == {"Quality": 3, "Sales": 1, "not assigned": 1}
    # Free-text causes are grouped trimmed and lower-cased; open complaints have none yet.
    assert _rows(report.by_cause) == {"late delivery": 2, "not recorded yet": 3}
    assert report.by_cause[-1].label == "not recorded yet"
    assert _rows(report.by_month) == {"2026-03": 1, "2026-05": 2, "2026-10": 2}
    quality = next(row for row in report.by_category if row.label == "product quality")
    assert (quality.open, quality.average_satisfaction, quality.share) == (1, 4.0, 60.0)
    assert quality.average_days == 1.5


def test_repeat_complaints_are_highlighted(customer, service, quality):
    """CMP-05: same customer and category within 90 days (setting)."""
    first = ComplaintFactory(customer=customer, category="delivery", received_at=_at(1))
    repeat = ComplaintFactory(customer=customer, category="delivery", received_at=_at(1) + timedelta(days=89))
    ComplaintFactory(customer=customer, category="delivery", received_at=_at(1) + timedelta(days=89 + 91))
    ComplaintFactory(customer=customer, category="billing", received_at=_at(1) + timedelta(days=10))
    ComplaintFactory(customer=CustomerFactory(owner=customer.owner), category="delivery", received_at=_at(2))
    report = complaint_report(complaint_visible_to(service), start=START, end=END)
    assert [complaint.pk for complaint in report.repeats] == [repeat.pk]
    assert report.repeats[0].previous_reference == first.reference
    html = _page(service).content.decode()
    assert 'class="table-warning repeat-row"' in html and repeat.reference in html


def test_the_repeat_window_is_a_setting(customer, service, settings):
    """CMP-05"""
    ComplaintFactory(customer=customer, category="delivery", received_at=_at(1))
    ComplaintFactory(customer=customer, category="delivery", received_at=_at(3))
    settings.COMPLAINT_REPEAT_DAYS = 30
    assert complaint_report(complaint_visible_to(service), start=START, end=END).repeat_count == 0
    settings.COMPLAINT_REPEAT_DAYS = 90
    assert complaint_report(complaint_visible_to(service), start=START, end=END).repeat_count == 1


def _page(user, query="?start=2026-01&end=2026-12"):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(f"/complaints/report/{query}")


def test_the_report_page_and_its_excel_export(data, service):
    """CMP-05, DSH-03: one sheet per grouping and one with the repeats."""
    page = _page(service)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-category"' in html and 'id="report-cause"' in html and "late delivery" in html
    export = _page(service, "?start=2026-01&end=2026-12&export=xlsx")
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert workbook.sheetnames == ["By category", "By department", "By root cause", "By month", "Repeat complaints"]
    causes = {row[0]: row[1] for row in workbook["By root cause"].iter_rows(min_row=2, values_only=True)}
    assert causes["late delivery"] == 2
    repeats = list(workbook["Repeat complaints"].iter_rows(min_row=2, values_only=True))
    assert len(repeats) == 2  # the second and third quality complaints of the same customer
    assert ExportLog.objects.filter(user=service, name="complaint-report").exists()


def test_who_sees_the_report(client_for, rep, gm, quality_head, outsider):
    """ORG-02: customer service, management and department heads; not a rep or another department."""
    assert client_for(rep).get("/complaints/report/").status_code == 403
    assert client_for(outsider).get("/complaints/report/").status_code == 403
    assert client_for(gm).get("/complaints/report/").status_code == 200
    assert client_for(quality_head).get("/complaints/report/").status_code == 200


def test_a_department_head_reports_on_their_department_only(data, quality_head):
    """ORG-02: the report counts only the complaints the user sees."""
    report = complaint_report(complaint_visible_to(quality_head), start=START, end=END)
    assert report.total == 3 and _rows(report.by_department) == {"Quality": 3}


def _make(n, customers, quality):
    for index in range(n):
        ComplaintFactory(
            customer=customers[index % len(customers)],
            category=["quality", "delivery", "billing"][index % 3],
            department=quality if index % 2 else None,
            received_at=_at(1 + index % 12, 1 + index % 27),
            status="closed" if index % 4 == 0 else "assigned",
            satisfaction=3 if index % 4 == 0 else None,
            root_cause=f"cause {index % 5}" if index % 4 == 0 else "",
            preventive_action="p" if index % 4 == 0 else "",
        )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_and_the_report_run_a_constant_number_of_queries(client_for, service, rep, quality):
    """CMP-05, DSH-03: 5 complaints or 50, the same number of queries."""
    customers = [CustomerFactory(owner=rep) for _ in range(5)]
    client = client_for(service)
    urls = [
        "/complaints/",
        "/complaints/report/?start=2026-01&end=2026-12",
        "/complaints/?overdue=on&sort=-solution_due",
    ]
    _make(5, customers, quality)
    for url in urls:
        client.get(url)  # warm the per-user caches
    few = [_count_queries(client, url) for url in urls]
    _make(45, customers, quality)
    many = [_count_queries(client, url) for url in urls]
    assert few == many


# --- who sees which complaints -----------------------------------------------------------


def test_a_rep_sees_only_the_complaints_of_their_own_customers(client_for, rep, other_rep, customer, sales):
    """ORG-02: other reps' customers' complaints are invisible — 404 on the page, absent from the list."""
    mine = ComplaintFactory(customer=customer, reference="TS-2026-100001")
    theirs = ComplaintFactory(customer=CustomerFactory(owner=other_rep), department=sales, reference="TS-2026-100002")
    public = ComplaintFactory(customer=None, reference="TS-2026-100003")
    client = client_for(rep)
    html = client.get("/complaints/").content.decode()
    assert mine.reference in html and theirs.reference not in html and public.reference not in html
    assert client.get(f"/complaints/{mine.pk}/").status_code == 200
    for complaint in (theirs, public):
        assert client.get(f"/complaints/{complaint.pk}/").status_code == 404
        for action in ("investigate", "close"):
            assert client.post(f"/complaints/{complaint.pk}/act/{action}/", {}).status_code == 404
        assert client.post(f"/complaints/{complaint.pk}/classify/", {}).status_code == 404
        assert client.post(f"/complaints/{complaint.pk}/match/", {}).status_code == 404


def test_the_department_sees_what_is_assigned_to_it(client_for, quality, quality_head, inspector, safety_staff):
    """CMP-02, ORG-02: the head and the members of the responsible department see it; another department does not."""
    complaint = ComplaintFactory(department=quality, status="assigned")
    for user in (quality_head, inspector):
        assert client_for(user).get(f"/complaints/{complaint.pk}/").status_code == 200
    assert client_for(safety_staff).get(f"/complaints/{complaint.pk}/").status_code == 404
    assert complaint.reference not in client_for(safety_staff).get("/complaints/").content.decode()


def test_the_navigation_shows_complaints_to_the_right_people(client_for, service, gm, quality_head, rep):
    """DSH-02"""
    for user in (service, gm, quality_head):
        assert 'data-nav="complaints"' in client_for(user).get("/").content.decode()
    assert 'data-nav="complaints"' not in client_for(rep).get("/").content.decode()


def test_the_list_export_holds_exactly_the_filtered_rows(client_for, service, customer):
    """DSH-03: ?export=xlsx of the filtered list."""
    ComplaintFactory(customer=customer, severity="urgent", reference="TS-2026-200001")
    ComplaintFactory(customer=customer, severity="normal", reference="TS-2026-200002")
    response = client_for(service).get("/complaints/?severity=urgent&export=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["TS-2026-200001"]


def test_my_work_lists_the_open_complaints_of_my_department(client_for, quality, quality_head, service, customer):
    """DSH-02, CMP-02: the department head sees what is assigned to the department."""
    ours = ComplaintFactory(department=quality, status="assigned", reference="TS-2026-300001")
    other = ComplaintFactory(customer=customer, reference="TS-2026-300002")
    ComplaintFactory(
        department=quality, status="closed", root_cause="x", preventive_action="y", reference="TS-2026-300003"
    )
    html = client_for(quality_head).get("/").content.decode()
    assert 'id="panel-open_complaints"' in html
    assert ours.reference in html and other.reference not in html and "TS-2026-300003" not in html
    html = client_for(service).get("/").content.decode()
    assert ours.reference in html and other.reference in html


def test_management_sees_every_open_complaint_on_my_work(client_for, gm, quality, customer):
    """DSH-02, ORG-02: the general manager, who heads the Management department, sees the
    company's open complaints (read-only), not "none" while they are open."""
    gm.department.head = gm
    gm.department.save(update_fields=["head"])
    open_ones = [
        ComplaintFactory(department=quality, status="assigned", reference="TS-2026-400001"),
        ComplaintFactory(customer=customer, reference="TS-2026-400002"),
    ]
    ComplaintFactory(
        department=quality, status="closed", root_cause="x", preventive_action="y", reference="TS-2026-400003"
    )
    html = client_for(gm).get("/").content.decode()
    assert 'id="panel-open_complaints"' in html and "No open complaints." not in html
    assert all(complaint.reference in html for complaint in open_ones) and "TS-2026-400003" not in html
