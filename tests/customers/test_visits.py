"""Visit plans and visit reports (CUS-09): generation by grade, completion only with a report,
cancelling, planning by hand, the visits list, the customer page's visits tab and "My work"."""

import io
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

import customers.my_work  # noqa: F401  (registers the panels, as CustomersConfig.ready() does)
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.models import ExportLog
from customers.models import CustomerSettings, Visit, VisitStatus
from customers.services.visits import add_months, visit_cancel, visit_complete, visit_plan_generate, visit_plan_manual
from customers.tasks import generate_visit_plans
from tests.customers.factories import CustomerFactory, InteractionFactory, VisitFactory

TODAY = date(2026, 11, 23)
REPORT = {
    "purpose": "季度回访",
    "people_met": "王经理",
    "findings": "客户对交付满意",
    "needs": "希望培训",
    "next_actions": "寄送资料",
}


def _dates(customer) -> list[date]:
    return list(Visit.objects.filter(customer=customer).order_by("planned_date").values_list("planned_date", flat=True))


def test_it_plans_visits_by_grade_frequency(rep):
    """CUS-09: A monthly, B every 2 months, C quarterly, D twice a year; from today when never visited."""
    a, b, c, d = (CustomerFactory(owner=rep, grade=grade) for grade in "ABCD")
    created = visit_plan_generate(today=TODAY)
    assert _dates(a) == [TODAY, date(2026, 12, 23), date(2027, 1, 23), date(2027, 2, 23)]
    assert _dates(b) == [TODAY, date(2027, 1, 23)]
    assert _dates(c) == [TODAY, date(2027, 2, 23)]
    assert _dates(d) == [TODAY]
    assert created == 9
    visit = Visit.objects.filter(customer=a).first()
    assert (visit.owner, visit.status, visit.generated) == (rep, VisitStatus.PLANNED, True)


def test_it_starts_from_the_last_completed_visit(rep):
    """CUS-09: the next visit is due one interval after the last completed one."""
    customer = CustomerFactory(owner=rep, grade="B")
    VisitFactory(
        customer=customer,
        planned_date=date(2026, 11, 1),
        status=VisitStatus.COMPLETED,
        completed_at=timezone.make_aware(timezone.datetime(2026, 11, 2, 10)),
        purpose="p",
        findings="f",
    )
    visit_plan_generate(today=TODAY)
    assert _dates(customer) == [date(2026, 11, 1), date(2027, 1, 2)]


def test_plan_generation_is_idempotent(rep):
    """CUS-09, JOB-09: a second run, the next day's run, or the job, never duplicates a visit."""
    customers = [CustomerFactory(owner=rep, grade=grade) for grade in "ABCD"]
    first = visit_plan_generate(today=TODAY)
    assert visit_plan_generate(today=TODAY) == 0
    for offset in range(1, 20):
        assert visit_plan_generate(today=TODAY + timedelta(days=offset)) == 0
    assert generate_visit_plans(today=TODAY.isoformat()) == 0
    assert Visit.objects.count() == first
    # A month on, the horizon has moved: A and B get their next visit at its end.
    assert visit_plan_generate(today=date(2026, 12, 23)) == 2
    assert _dates(customers[0])[-1] == _dates(customers[1])[-1] == date(2027, 3, 23)


def test_a_hand_planned_visit_fills_its_window(rep):
    """CUS-09: the system does not add a visit next to one the rep planned."""
    customer = CustomerFactory(owner=rep, grade="A")
    VisitFactory(customer=customer, planned_date=TODAY + timedelta(days=10))
    visit_plan_generate(today=TODAY)
    assert _dates(customer) == [date(2026, 12, 3), date(2027, 1, 3), date(2027, 2, 3)]


def test_it_plans_only_for_active_and_potential_customers(rep):
    """CUS-09: churned, blacklisted and archived customers get no visits."""
    CustomerFactory(owner=rep, status="churned")
    CustomerFactory(owner=rep, status="blacklisted")
    CustomerFactory(owner=rep, archived_at=timezone.now())
    potential = CustomerFactory(owner=rep, status="potential", grade="D")
    assert visit_plan_generate(today=TODAY) == 1
    assert Visit.objects.get().customer == potential


def test_the_frequencies_are_settings(rep):
    """CUS-09 (setting): an administrator changes the frequency without a code change."""
    CustomerSettings.objects.update_or_create(pk=1, defaults={"visit_months_a": 2})
    customer = CustomerFactory(owner=rep, grade="A")
    visit_plan_generate(today=TODAY)
    assert _dates(customer) == [TODAY, date(2027, 1, 23)]


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)
    assert add_months(date(2027, 1, 15), -2) == date(2026, 11, 15)


# --- completing, cancelling, planning ----------------------------------------------------------


def test_a_visit_is_completed_only_with_a_report(rep):
    """CUS-09: no purpose or no findings → refused with a clear message, nothing changed."""
    visit = VisitFactory(customer=CustomerFactory(owner=rep))
    with pytest.raises(DomainError) as error:
        visit_complete(actor=rep, visit=visit, **{**REPORT, "findings": "  "})
    assert error.value.field == "findings"
    with pytest.raises(DomainError) as error:
        visit_complete(actor=rep, visit=visit, **{**REPORT, "purpose": ""})
    assert error.value.field == "purpose"
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.completed_at is None
    visit_complete(actor=rep, visit=visit, **REPORT)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED and visit.completed_at and visit.findings == "客户对交付满意"
    with pytest.raises(DomainError, match="already completed"):
        visit_complete(actor=rep, visit=visit, **REPORT)


def test_the_database_refuses_a_completed_visit_without_report(rep):
    """CUS-09: the check constraint backs the rule up."""
    visit = VisitFactory(customer=CustomerFactory(owner=rep))
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.COMPLETED, completed_at=timezone.now())


def test_the_report_page_completes_the_visit(client_for, rep):
    """CUS-09: the visit report form; a missing report is answered with form errors."""
    visit = VisitFactory(customer=CustomerFactory(owner=rep), purpose="预定目的")
    client = client_for(rep)
    page = client.get(f"/customers/visits/{visit.pk}/complete/")
    assert page.status_code == 200 and "预定目的" in page.content.decode()
    response = client.post(f"/customers/visits/{visit.pk}/complete/", {**REPORT, "findings": ""})
    assert response.status_code == 400 and response.context["form"].errors["findings"]
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED
    response = client.post(f"/customers/visits/{visit.pk}/complete/", REPORT)
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.COMPLETED
    shown = client.get(f"/customers/visits/{visit.pk}/complete/").content.decode()
    assert "客户对交付满意" in shown and 'id="visit-report-form"' not in shown


def test_cancelling_needs_a_reason_and_is_not_undone_by_the_generator(client_for, rep):
    """CUS-09, ORG-03: the reason is kept in the history; the generator respects the cancellation."""
    customer = CustomerFactory(owner=rep, grade="D")
    visit = VisitFactory(customer=customer, planned_date=timezone.localdate())
    with pytest.raises(DomainError):
        visit_cancel(actor=rep, visit=visit, reason=" ")
    client = client_for(rep)
    assert client.post(f"/customers/visits/{visit.pk}/cancel/", {"reason": "客户放假"}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert visit.history.first().history_change_reason == "客户放假"
    assert "客户放假" in client.get(f"/customers/visits/{visit.pk}/complete/").content.decode()
    assert visit_plan_generate() == 0
    with pytest.raises(DomainError, match="cancelled"):
        visit_complete(actor=rep, visit=visit, **REPORT)


def test_planning_by_hand(client_for, rep, gm):
    """CUS-09: not in the past, not twice the same day; management reads only."""
    customer = CustomerFactory(owner=rep)
    tomorrow = timezone.localdate() + timedelta(days=1)
    client = client_for(rep)
    response = client.post(f"/customers/{customer.pk}/visits/new/", {"planned_date": tomorrow, "purpose": "介绍新品"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.owner, visit.planned_date, visit.purpose, visit.generated) == (rep, tomorrow, "介绍新品", False)
    response = client.post(f"/customers/{customer.pk}/visits/new/", {"planned_date": tomorrow})
    assert response.status_code == 400 and "already planned" in response.content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(f"/customers/{customer.pk}/visits/new/", {"planned_date": yesterday})
    assert response.status_code == 400 and "in the past" in response.content.decode()
    with pytest.raises(PermissionDenied):
        visit_plan_manual(actor=gm, customer=customer, planned_date=tomorrow + timedelta(days=1))
    assert client_for(gm).get(f"/customers/{customer.pk}/visits/new/").status_code == 403
    assert Visit.objects.count() == 1


def test_management_cannot_complete_visits(client_for, rep, gm):
    visit = VisitFactory(customer=CustomerFactory(owner=rep))
    with pytest.raises(PermissionDenied):
        visit_complete(actor=gm, visit=visit, **REPORT)
    assert client_for(gm).post(f"/customers/visits/{visit.pk}/complete/", REPORT).status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_another_reps_visits_are_404_everywhere(client_for, rep, other_rep, outsider):
    """ORG-02: another rep (and another department) gets 404 on every visit URL."""
    customer = CustomerFactory(owner=rep)
    visit = VisitFactory(customer=customer)
    for user in (other_rep, outsider):
        client = client_for(user)
        assert client.get(f"/customers/visits/{visit.pk}/complete/").status_code == 404
        assert client.post(f"/customers/visits/{visit.pk}/complete/", REPORT).status_code == 404
        assert client.post(f"/customers/visits/{visit.pk}/cancel/", {"reason": "x"}).status_code == 404
        assert client.get(f"/customers/{customer.pk}/visits/new/").status_code == 404
        assert client.post(f"/customers/{customer.pk}/visits/new/", {"planned_date": TODAY}).status_code == 404
        listed = client.get("/customers/visits/")
        assert listed.status_code == 200 and listed.context["paginator"].count == 0
    assert Visit.objects.get().status == VisitStatus.PLANNED


# --- the list ----------------------------------------------------------------------------------


def test_the_list_filters_status_overdue_owner_and_dates(client_for, rep, other_rep, manager):
    """CUS-09: overdue = planned and before today; the manager sees the department."""
    today = timezone.localdate()
    mine = CustomerFactory(owner=rep, name="甲公司")
    theirs = CustomerFactory(owner=other_rep, name="乙公司")
    overdue = VisitFactory(customer=mine, planned_date=today - timedelta(days=3))
    VisitFactory(customer=mine, planned_date=today + timedelta(days=3))
    VisitFactory(customer=theirs, planned_date=today - timedelta(days=5))
    VisitFactory(
        customer=mine, planned_date=today - timedelta(days=9), status="completed", completed_at=timezone.now(),
        purpose="p", findings="f",
    )  # fmt: skip
    client = client_for(rep)

    def count(client, **params):
        return client.get("/customers/visits/", params).context["paginator"].count

    assert count(client) == 3
    assert list(client.get("/customers/visits/", {"overdue": "on"}).context["object_list"]) == [overdue]
    assert count(client, status="completed") == 1
    assert count(client, planned_from=today, planned_to=today + timedelta(days=5)) == 1
    assert count(client, q="甲公司") == 3
    boss = client_for(manager)
    assert count(boss) == 4
    assert count(boss, overdue="on") == 2
    assert count(boss, overdue="on", owner=other_rep.pk) == 1
    html = client.get("/customers/visits/", {"overdue": "on"}).content.decode()
    assert "table-danger" in html


def test_the_export_is_scoped_filtered_and_logged(client_for, rep, other_rep):
    """CUS-07, DSH-03"""
    VisitFactory(customer=CustomerFactory(owner=rep), status="planned")
    VisitFactory(customer=CustomerFactory(owner=other_rep), status="planned")
    response = client_for(rep).get("/customers/visits/", {"status": "planned", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count) == (rep, "visits", 1)


def _add_visits(owner, count):
    for index in range(count):
        customer = CustomerFactory(owner=owner)
        VisitFactory(customer=customer, planned_date=date(2026, 1, 1) + timedelta(days=index))


def test_the_list_runs_a_constant_number_of_queries(client_for, rep):
    client = client_for(rep)
    _add_visits(rep, 5)
    client.get("/customers/visits/")
    with CaptureQueriesContext(connection) as five:
        client.get("/customers/visits/")
    _add_visits(rep, 45)
    with CaptureQueriesContext(connection) as fifty:
        client.get("/customers/visits/")
    assert len(five) == len(fifty)


# --- the customer page and "My work" ----------------------------------------------------------


def test_the_visits_tab_highlights_overdue_and_shows_reports(client_for, rep):
    """CUS-09: overdue planned visits highlighted; recent reports with their summary."""
    customer = CustomerFactory(owner=rep)
    VisitFactory(customer=customer, planned_date=timezone.localdate() - timedelta(days=2))
    VisitFactory(
        customer=customer, status="completed", completed_at=timezone.now(), purpose="回访目的", findings="发现很多问题",
    )  # fmt: skip
    html = client_for(rep).get(f"/customers/{customer.pk}/").content.decode()
    assert "table-danger" in html and "发现很多问题" in html
    assert 'id="plan-visit-form"' in html and 'id="log-interaction-form"' in html


def test_the_customer_page_costs_the_same_with_many_visits_and_interactions(client_for, rep):
    """CUS-08, CUS-09: fixed queries whatever the number of visits and interactions."""
    customer = CustomerFactory(owner=rep)
    client = client_for(rep)
    client.get(f"/customers/{customer.pk}/")

    def add(count):
        for _index in range(count):
            InteractionFactory(customer=customer)
            VisitFactory(customer=customer)
            VisitFactory(
                customer=customer, status="completed", completed_at=timezone.now(), purpose="p", findings="f",
            )  # fmt: skip

    add(5)
    with CaptureQueriesContext(connection) as five:
        client.get(f"/customers/{customer.pk}/")
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        client.get(f"/customers/{customer.pk}/")
    assert len(five) == len(fifty)


def test_my_work_shows_overdue_and_coming_visits_to_the_rep_and_the_team_to_the_manager(
    client_for, rep, other_rep, manager
):
    """CUS-09, DSH-02: overdue visits show on the rep's and the manager's pages."""
    today = timezone.localdate()
    mine = CustomerFactory(owner=rep, name="逾期客户")
    VisitFactory(customer=mine, planned_date=today - timedelta(days=4))
    VisitFactory(customer=CustomerFactory(owner=rep, name="本周客户"), planned_date=today + timedelta(days=2))
    VisitFactory(customer=CustomerFactory(owner=other_rep, name="别人的客户"), planned_date=today - timedelta(days=1))
    html = client_for(rep).get("/").content.decode()
    assert 'id="panel-my_overdue_visits"' in html and "逾期客户" in html and "本周客户" in html
    assert "别人的客户" not in html and 'id="panel-team_overdue_visits"' not in html
    html = client_for(manager).get("/").content.decode()
    assert 'id="panel-team_overdue_visits"' in html
    assert f"owner={rep.pk}" in html and f"owner={other_rep.pk}" in html
    html = client_for(other_rep).get("/").content.decode()
    assert "逾期客户" not in html
