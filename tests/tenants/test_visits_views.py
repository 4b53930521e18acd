"""TEN-08, ORG-02, DSH-02, DSH-03: the tenant visit pages — the list with its filters, export and
visit rate, the "generate this year's plan" button, the report form, "My work"; operations
writes, management reads, outsiders get 403 / 404."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from tenants.models import TenantVisit
from tenants.services.visits import tenant_visit_report, visit_plan_generate

from .factories import TenantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = "/tenants/visits/"
NOON = datetime(2026, 6, 15, 12, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def planned(desk, ops_manager):
    tenants = [TenantFactory(actor=desk) for _ in range(3)]
    visit_plan_generate(today=date(2026, 1, 5))
    return tenants


def test_the_desk_generates_the_plan_with_the_button_once(client_for, desk, ops_manager):
    """TEN-08: the button plans every current tenant; pressing it again adds nothing."""
    for _ in range(3):
        TenantFactory(actor=desk)
    client = client_for(ops_manager)
    page = client.get(LIST)
    assert page.status_code == 200 and b'id="generate-plan"' in page.content
    assert b'id="empty-state"' in page.content
    url = reverse("tenants:tenant_visit_plan_generate")
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert TenantVisit.objects.count() == 3
    assert all(v.planned_on >= date(2026, 6, 15) for v in TenantVisit.objects.all())
    assert len(client.get(LIST).context["object_list"]) == 3


def test_the_list_shows_the_rate_filters_by_status_and_visitor_and_exports(client_for, desk, ops_manager, planned):
    """TEN-08, DSH-03: overdue / done / visitor filters, the year's rate, the export of the rows."""
    done = TenantVisit.objects.order_by("pk").first()
    tenant_visit_report(actor=desk, visit=done, report="交流顺利", outcome="satisfied")
    client = client_for(desk)
    page = client.get(LIST)
    rate = page.context["rate"]
    assert (rate.visited, rate.tenants, str(rate.percent)) == (1, 3, "33.3")
    assert b"33.3 %" in page.content
    assert [v.pk for v in client.get(LIST, {"status": "done"}).context["object_list"]] == [done.pk]
    # Planned on 5 January, in May and in September: one done, one overdue, one due.
    overdue = client.get(LIST, {"status": "overdue"}).context["object_list"]
    assert len(overdue) == 1 and done.pk not in [v.pk for v in overdue]
    assert len(client.get(LIST, {"status": "due"}).context["object_list"]) == 1
    mine = client.get(LIST, {"visitor": ops_manager.pk}).context["object_list"]
    assert {v.visitor_id for v in mine} == {ops_manager.pk}
    assert client.get(LIST, {"year": 2025}).context["object_list"].count() == 0
    assert client.get(LIST, {"sort": "-unit"}).status_code == 200
    for year in ("abc", "99999999999", "-1"):
        assert client.get(LIST, {"year": year, "status": "nonsense"}).status_code == 200
    export = client.get(LIST, {"status": "overdue", "export": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row == 2  # the header and the overdue visit
    assert ExportLog.objects.filter(user=desk, name="tenant-visits", row_count=1).exists()


def test_the_list_runs_the_same_queries_for_3_and_15_visits(
    client_for, desk, ops_manager, django_assert_max_num_queries
):
    """DSH-03: a constant number of queries, whatever the rows."""
    client = client_for(desk)
    for _ in range(3):
        TenantFactory(actor=desk)
    visit_plan_generate(today=date(2026, 1, 5))
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(12):
        TenantFactory(actor=desk)
    visit_plan_generate()
    assert TenantVisit.objects.count() == 15
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_the_report_form_marks_the_visit_done_and_bad_input_writes_nothing(client_for, desk, planned):
    """TEN-08: the report and the outcome are required; a second report is refused."""
    visit = TenantVisit.objects.order_by("pk").first()
    url = reverse("tenants:tenant_visit_detail", args=[visit.pk])
    client = client_for(desk)
    assert b'id="report-form"' in client.get(url).content
    for data in ({"report": "", "outcome": "satisfied"}, {"report": "好", "outcome": "bad"}, {"report": "好"},
                 {"report": "好", "outcome": "satisfied", "done_at": "2026-06-20T10:00"},
                 {"report": "好", "outcome": "satisfied", "done_at": "not a date"}):  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 400 and response.context["form"].errors
    visit.refresh_from_db()
    assert visit.done_at is None
    assert (
        client.post(url, {"report": "店铺经营正常", "outcome": "issues", "done_at": "2026-06-15T10:30"}).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.outcome == "issues" and visit.reported_by == desk
    assert timezone_local(visit.done_at) == datetime(2026, 6, 15, 10, 30, tzinfo=SHANGHAI)
    again = client.post(url, {"report": "再来一次", "outcome": "satisfied"})
    assert again.status_code == 400 and b"already reported" in again.content
    page = client.get(url)
    assert b'id="report-form"' not in page.content and "店铺经营正常" in page.content.decode()


def timezone_local(moment):
    return moment.astimezone(SHANGHAI)


def test_management_reads_and_cannot_act(client_for, gm, planned):
    """TEN-08, ORG-02: management sees the list, the rate and a visit, with no button or form."""
    visit = TenantVisit.objects.order_by("pk").first()
    client = client_for(gm)
    page = client.get(LIST)
    assert page.status_code == 200 and b'id="generate-plan"' not in page.content
    url = reverse("tenants:tenant_visit_detail", args=[visit.pk])
    detail = client.get(url)
    assert detail.status_code == 200 and b'id="report-form"' not in detail.content
    assert client.post(url, {"report": "x", "outcome": "satisfied"}).status_code == 403
    assert client.post(reverse("tenants:tenant_visit_plan_generate")).status_code == 403
    visit.refresh_from_db()
    assert visit.done_at is None


@pytest.mark.parametrize("who", ["rep", "buyer", "engineer"])
def test_outsiders_get_403_on_the_list_and_404_on_a_visit(client_for, request, who, planned):
    """TEN-08, ORG-02: a sales rep, procurement, Engineering (which handles requests) see nothing."""
    visit = TenantVisit.objects.order_by("pk").first()
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, {"export": "xlsx"}).status_code == 403
    url = reverse("tenants:tenant_visit_detail", args=[visit.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"report": "x", "outcome": "satisfied"}).status_code == 404
    assert client.post(reverse("tenants:tenant_visit_plan_generate")).status_code == 403
    assert TenantVisit.objects.filter(done_at__isnull=False).count() == 0
    assert TenantVisit.objects.count() == 3


def test_my_work_shows_my_due_and_overdue_visits(client_for, desk, ops_manager, gm, planned):
    """DSH-02, TEN-08: a visitor's overdue and coming visits on "My work"; others' are not there."""
    coming = TenantVisit.objects.create(tenant=planned[0], planned_on=date(2026, 6, 17), visitor=desk)
    later = TenantVisit.objects.create(tenant=planned[1], planned_on=date(2026, 8, 17), visitor=desk)
    mine = [*TenantVisit.objects.filter(visitor=desk, planned_on__lt=date(2026, 6, 15)), coming]
    page = client_for(desk).get(reverse("core:my_work"))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="panel-tenant_visits"' in content
    for visit in mine:
        assert f'data-visit="{visit.pk}"' in content
    for visit in [*TenantVisit.objects.filter(visitor=ops_manager), later]:
        assert f'data-visit="{visit.pk}"' not in content
    assert 'id="panel-tenant_visits"' not in client_for(gm).get(reverse("core:my_work")).content.decode()
