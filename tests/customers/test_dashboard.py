"""DSH-01: the customers app's dashboard blocks — customers by grade and by lifecycle status, churn,
visit completion — each figure against data built for it, in the scope of a rep, a manager and
management (ORG-02), with the previous period, the lists behind them, Excel and constant queries;
and `Customer.churned_at`, kept by the database (migration customers 0009)."""

import importlib
import io
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from crm_project.accounts.roles import Role
from crm_project.dashboard.blocks import Scope, block_for
from crm_project.dashboard.computing import compute
from crm_project.dashboard.periods import parse_period
from customers.models import Customer, CustomerStatus, GradeChange, Visit
from customers.services.visits import overdue_visits
from tests.customers.factories import CustomerFactory, VisitFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

KEYS = ("customers_by_grade", "customers_by_status", "churn", "visit_completion")
OCTOBER, SEPTEMBER = parse_period("2026-10"), parse_period("2026-09")
churned_at_migration = importlib.import_module("customers.migrations.0009_churned_at")


@pytest.fixture(autouse=True)
def mid_october(time_machine):
    time_machine.move_to("2026-10-15 10:00 +0800", tick=False)


def at(day: str, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(hour)))


def make_customer(owner, grade="C", status="active", created="2026-08-01", archived=None, churned=None):
    """A customer as it stands, with the times the database keeps written alone — an UPDATE
    without the status passes the churned_at trigger."""
    customer = CustomerFactory(owner=owner, grade=grade, status=status)
    times = {"created_at": at(created), "archived_at": at(archived) if archived else None}
    if churned:
        times["churned_at"] = at(churned)
    Customer.objects.filter(pk=customer.pk).update(**times)
    return customer


def regrade(customer, from_grade, to_grade, day, by):
    change = GradeChange.objects.create(
        customer=customer, from_grade=from_grade, to_grade=to_grade, reason="年度评级", changed_by=by
    )
    GradeChange.objects.filter(pk=change.pk).update(changed_at=at(day))


def make_visit(customer, day, status="planned", owner=None):
    report = {"completed_at": at(day, 15), "findings": "客户满意"} if status == "completed" else {}
    return VisitFactory(
        customer=customer, owner=owner or customer.owner, planned_date=date.fromisoformat(day), status=status, **report
    )


def figures(key, user, period=OCTOBER, department=None):
    block = block_for(user, key)
    assert block is not None, f"{user} does not see {key}"
    return block.figures(Scope(user, period, department))


@pytest.fixture
def east(db):
    """A second sales department: its customers are never the Sales manager's."""
    return DepartmentFactory(code="sales-east", name_zh="华东销售部", name_en="Sales East")


@pytest.fixture
def book(rep, other_rep, manager, gm, east):
    """The customers of the figures below (today is 15 October 2026; September is the period
    before October)."""
    rep_east = UserFactory(username="rep_east", department=east, roles=[Role.SALES_REP])
    c = SimpleNamespace(rep_east=rep_east)
    c.c1 = make_customer(rep, "A")
    c.c2 = make_customer(rep, "B")  # C until 5 October
    c.c3 = make_customer(rep, "D", status="churned", churned="2026-10-05")  # B, C on 20 September, D on 8 October
    c.c4 = make_customer(other_rep, "C", status="potential", created="2026-10-03")  # new in October
    c.c5 = make_customer(other_rep, "A", status="churned", churned="2026-09-15", archived="2026-10-10")
    c.c6 = make_customer(other_rep, "B", archived="2026-09-10")
    c.c7 = make_customer(rep, "C", status="blacklisted", created="2026-09-05")  # new in September
    c.c8 = make_customer(rep, "D", status="churned", created="2026-07-01", churned="2026-09-20")
    c.x1 = make_customer(rep_east, "A")
    c.x2 = make_customer(rep_east, "C", status="churned", churned="2026-10-06")
    regrade(c.c2, "C", "B", "2026-10-05", manager)
    regrade(c.c3, "B", "C", "2026-09-20", manager)
    regrade(c.c3, "C", "D", "2026-10-08", manager)
    regrade(c.x1, "B", "A", "2026-10-02", manager)
    c.visits = {
        "v1": make_visit(c.c1, "2026-10-03", "completed"),
        "v2": make_visit(c.c2, "2026-10-10"),  # overdue
        "v3": make_visit(c.c2, "2026-10-20"),
        "v4": make_visit(c.c3, "2026-10-12", "cancelled"),
        "v5": make_visit(c.c1, "2026-09-10", "completed"),
        "v6": make_visit(c.c1, "2026-09-20"),
        "v7": make_visit(c.c4, "2026-10-05", "completed"),
        "v8": make_visit(c.c5, "2026-10-08"),  # late, but its customer is archived: not overdue
        "v9": make_visit(c.c4, "2026-11-02"),
        "x1": make_visit(c.x1, "2026-10-04", "completed"),
    }
    return c


# --- 1. customers by grade ----------------------------------------------------------------------


def test_customers_by_grade_at_the_end_of_the_period_and_of_the_one_before(manager, book):
    """DSH-01, CUS-03: this month's end is now (today's grades of the customers in use); the
    previous period's end is reconstructed from the grade changes since (the earliest one's
    "from"), counting the customers archived since and not those created since."""
    assert figures("customers_by_grade", manager) == {
        "by_grade": {"A": 1, "B": 1, "C": 2, "D": 2},
        "total": 6,
        "upgrades": 1,
        "downgrades": 1,
        "previous": {"by_grade": {"A": 2, "B": 0, "C": 3, "D": 1}, "total": 6, "upgrades": 0, "downgrades": 1},
    }


def test_grades_of_a_past_period_are_those_at_its_end(manager, book):
    """DSH-01, CUS-03: September's end (1 October) and August's end (1 September) as they were:
    c3 was B until 20 September, c6 counted until its archiving on 10 September, c7 not yet."""
    assert figures("customers_by_grade", manager, SEPTEMBER) == {
        "by_grade": {"A": 2, "B": 0, "C": 3, "D": 1},
        "total": 6,
        "upgrades": 0,
        "downgrades": 1,
        "previous": {"by_grade": {"A": 2, "B": 2, "C": 1, "D": 1}, "total": 6, "upgrades": 0, "downgrades": 0},
    }


# --- 2. customers by status ---------------------------------------------------------------------


def test_customers_by_status_and_new_customers(manager, book):
    """DSH-01, CUS-02: the customers in use by lifecycle status, and those created in the period
    (not archived) against the period before."""
    assert figures("customers_by_status", manager) == {
        "by_status": {"potential": 1, "active": 2, "churned": 2, "blacklisted": 1},
        "total": 6,
        "new": 1,
        "statuses_of_today": False,
        "previous": {"by_status": {"potential": 0, "active": 2, "churned": 3, "blacklisted": 1}, "total": 6, "new": 1},
    }


def test_a_past_period_counts_its_customers_by_today_s_status_and_says_so(manager, book):
    """DSH-01: a status keeps no history of its own; a past period says its statuses are today's."""
    september = figures("customers_by_status", manager, SEPTEMBER)
    assert september["statuses_of_today"] is True
    assert september["by_status"] == {"potential": 0, "active": 2, "churned": 3, "blacklisted": 1}
    assert (september["new"], september["previous"]["new"]) == (1, 3)  # c7; c1, c2, c3 (c5, c6 archived)
    presentation = compute(block_for(manager, "customers_by_status"), Scope(manager, SEPTEMBER)).presentation
    assert "by the status they have today" in presentation.note


# --- 3. churn -----------------------------------------------------------------------------------


def test_churn_in_the_period_and_its_rate(manager, book):
    """DSH-01: churned in October (c3) ÷ the book on 1 October (c1, c2, c3, c7: c5 and c8 had
    churned before, c4 came after); September: c5 and c8 of six."""
    assert figures("churn", manager) == {
        "churned": 1,
        "book": 4,
        "rate": 25.0,
        "previous": {"churned": 2, "book": 6, "rate": 33.3},
        "by_rep": [{"owner_id": book.c1.owner_id, "name": "rep", "churned": 1}],
    }


def test_churn_by_rep_keeps_the_ten_with_most(manager, sales):
    """DSH-01: the reps with most churned customers first, ten at most."""
    reps = [UserFactory(username=f"churn{n:02d}", department=sales, roles=[Role.SALES_REP]) for n in range(12)]
    for number, rep in enumerate(reps):
        for _ in range(1 + number % 3):
            make_customer(rep, status="churned", churned="2026-10-02")
    by_rep = figures("churn", manager)["by_rep"]
    assert len(by_rep) == 10
    assert [row["churned"] for row in by_rep] == [3, 3, 3, 3, 2, 2, 2, 2, 1, 1]
    assert [row["name"] for row in by_rep[:4]] == ["churn02", "churn05", "churn08", "churn11"]


# --- 4. visit completion ------------------------------------------------------------------------


def test_visit_completion_by_rep(manager, rep, other_rep, book):
    """DSH-01, CUS-09: visits planned for October by planned date, completed, cancelled, overdue
    (still planned before today, on a customer in use), the rate over those not cancelled."""
    assert figures("visit_completion", manager) == {
        "planned": 6,
        "completed": 2,
        "cancelled": 1,
        "rate": 40.0,
        "not_completed": 3,
        "overdue": 1,
        "previous": {"planned": 2, "completed": 1, "cancelled": 0, "rate": 50.0},
        "by_rep": [
            {"owner_id": rep.pk, "name": "rep", "planned": 4, "completed": 1, "cancelled": 1, "rate": 33.3,
             "not_completed": 2, "overdue": 1},
            {"owner_id": other_rep.pk, "name": "other_rep", "planned": 2, "completed": 1, "cancelled": 0,
             "rate": 50.0, "not_completed": 1, "overdue": 0},
        ],
    }  # fmt: skip


def test_overdue_is_the_rule_of_the_overdue_visits(manager, book):
    """CUS-09: the same count as overdue_visits() of the period's visits, whoever counts it."""
    october = Visit.objects.filter(planned_date__gte=OCTOBER.start, planned_date__lt=OCTOBER.end)
    assert figures("visit_completion", manager)["overdue"] == overdue_visits(october).count() == 1


def test_reps_are_named_family_name_first_and_the_chart_keeps_fifteen(manager, sales):
    """DSH-01: 张三 (last name, first name), else the username; the 15 with most visits planned."""
    named = UserFactory(username="zs", last_name="张", first_name="三", department=sales, roles=[Role.SALES_REP])
    customer = make_customer(named)
    for day in ("2026-10-02", "2026-10-09"):
        make_visit(customer, day)
    for number in range(16):
        make_visit(make_customer(UserFactory(username=f"v{number:02d}", department=sales, roles=[Role.SALES_REP])),
                   "2026-10-05")  # fmt: skip
    by_rep = figures("visit_completion", manager)["by_rep"]
    assert len(by_rep) == 15
    assert by_rep[0]["name"] == "张三" and by_rep[0]["planned"] == 2
    assert [row["name"] for row in by_rep[1:3]] == ["v00", "v01"]


# --- scope --------------------------------------------------------------------------------------


def test_a_rep_counts_only_their_own_customers_and_visits(rep, book):
    """ORG-02, DSH-01: a rep's figures are over their own customers and visits."""
    assert figures("customers_by_grade", rep)["by_grade"] == {"A": 1, "B": 1, "C": 1, "D": 2}
    assert figures("customers_by_grade", rep)["previous"]["by_grade"] == {"A": 1, "B": 0, "C": 3, "D": 1}
    assert figures("customers_by_status", rep)["by_status"] == {"potential": 0, "active": 2, "churned": 2,
                                                                "blacklisted": 1}  # fmt: skip
    churn = figures("churn", rep)
    assert (churn["churned"], churn["book"], churn["rate"]) == (1, 4, 25.0)
    assert (churn["previous"]["churned"], churn["previous"]["book"]) == (1, 4)
    visits = figures("visit_completion", rep)
    assert (visits["planned"], visits["completed"], visits["overdue"]) == (4, 1, 1)
    assert [row["name"] for row in visits["by_rep"]] == ["rep"]


def test_the_other_sales_department_is_never_the_managers(manager, gm, sales, east, book):
    """ORG-02, DSH-01: the Sales manager never counts Sales East's customers; management counts
    every department, or the one chosen, by the owner."""
    for key in KEYS:
        assert figures(key, gm, department=sales) == figures(key, manager), key
    whole = figures("customers_by_grade", gm)
    assert whole["by_grade"] == {"A": 2, "B": 1, "C": 3, "D": 2}
    assert whole["upgrades"] == 2  # x1's B → A
    churn = figures("churn", gm)
    assert (churn["churned"], churn["book"], churn["rate"]) == (2, 6, 33.3)
    assert [row["name"] for row in churn["by_rep"]] == ["rep", "rep_east"]
    assert figures("visit_completion", gm)["completed"] == 3
    only_east = figures("customers_by_status", gm, department=east)
    assert only_east["by_status"] == {"potential": 0, "active": 1, "churned": 1, "blacklisted": 0}
    chosen = compute(block_for(gm, "churn"), Scope(gm, OCTOBER, sales)).presentation
    assert "The lists behind the figures show every department." in chosen.note
    assert "every department" not in _presentation(manager, "churn").note
    east_manager = UserFactory(username="manager_east", department=east, roles=[Role.SALES_MANAGER])
    assert figures("churn", east_manager) == figures("churn", gm, department=east)


def test_who_sees_the_blocks(client_for, rep, clerk, manager, director, gm, outsider, book):
    """DSH-01, ORG-02: the sales roles and management see the four blocks (the API's keys); a
    role outside sales does not — absent, not zero."""
    for user in (rep, clerk, manager, director, gm):
        body = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"}).json()
        assert set(KEYS) <= set(body), user
        assert body["churn"] == figures("churn", user)
    answer = client_for(outsider).get("/api/v1/dashboard/", {"period": "2026-10"})
    assert answer.status_code == 404 or not set(KEYS) & set(answer.json())
    assert all(block_for(outsider, key) is None for key in KEYS)


def test_the_page_shows_the_four_blocks_with_their_charts(client_for, manager, book):
    """DSH-01: each block, its numbers against the previous period, its chart's data."""
    html = client_for(manager).get("/dashboard/", {"period": "2026-10"}).content.decode()
    for key in KEYS:
        assert f'id="block-{key}"' in html
    for chart in ("customers-by-grade", "customers-by-status", "churn-by-rep", "visits-by-rep"):
        assert f'data-dashboard-chart="{chart}"' in html
    assert 'id="number-churn-rate"' in html and "25.0%" in html


# --- the lists behind the figures ---------------------------------------------------------------


def _presentation(user, key, period=OCTOBER):
    return compute(block_for(user, key), Scope(user, period)).presentation


def _number(presentation, key):
    return next(number for number in presentation.numbers if number.key == key)


def _rows(client, url) -> set[int]:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return {row.pk for row in answer.context["object_list"]}


def test_the_links_open_the_lists_filtered(client_for, manager, rep, other_rep, book):
    """DSH-01, DSH-03: every number and chart bar links to its list, already filtered with the
    list's own parameters, and the list shows the rows counted."""
    client = client_for(manager)
    grades = _presentation(manager, "customers_by_grade")
    assert _rows(client, _number(grades, "grade-D").url) == {book.c3.pk, book.c8.pk}
    assert grades.charts[0].links[0] == "/customers/?grade=A"
    statuses = _presentation(manager, "customers_by_status")
    assert _rows(client, _number(statuses, "status-potential").url) == {book.c4.pk}
    assert statuses.charts[0].links == [f"/customers/?status={status}" for status in CustomerStatus.values]
    assert _number(statuses, "new").url == "/customers/?sort=-created"
    churn = _presentation(manager, "churn")
    assert _rows(client, _number(churn, "churned").url) == {book.c3.pk, book.c8.pk}  # the churned in use
    assert churn.charts[0].links == [f"/customers/?status=churned&owner={rep.pk}"]
    visits = _presentation(manager, "visit_completion")
    shown = {name: _rows(client, _number(visits, name).url) for name in ("planned", "completed", "overdue")}
    v = {name: visit.pk for name, visit in book.visits.items()}
    assert shown == {
        "planned": {v["v1"], v["v2"], v["v3"], v["v4"], v["v7"], v["v8"]},
        "completed": {v["v1"], v["v7"]},
        "overdue": {v["v2"]},
    }
    rep_link, other_link = visits.charts[0].links
    assert parse_qs(urlsplit(rep_link).query) == {
        "planned_from": ["2026-10-01"],
        "planned_to": ["2026-10-31"],
        "owner": [str(rep.pk)],
    }
    assert _rows(client, rep_link) == {v["v1"], v["v2"], v["v3"], v["v4"]}
    assert _rows(client, other_link) == {v["v7"], v["v8"]}


def test_a_bar_names_its_rep_only_when_the_list_can_filter_by_them(client_for, manager, rep, sales, book):
    """DSH-01: the owner filter takes the department's active reps; a visit of anyone else (the
    manager's own, a rep who left) links to the period's visits, never to an unfiltered list
    that claims to be theirs."""
    make_visit(book.c1, "2026-10-06", owner=manager)
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    visits = _presentation(manager, "visit_completion")
    names = [category for category in visits.charts[0].categories]
    for name, link in zip(names, visits.charts[0].links, strict=True):
        owner = parse_qs(urlsplit(link).query).get("owner")
        assert (owner is not None) == (name == "other_rep"), (name, link)


# --- Excel --------------------------------------------------------------------------------------


def test_each_block_downloads_as_excel(client_for, manager, book):
    """DSH-01: the block's tables as sheets, for the period asked."""
    answer = client_for(manager).get("/dashboard/visit_completion/export/", {"period": "2026-10"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).worksheets[0]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Rep", "Planned", "Completed", "Not completed", "Cancelled", "Overdue", "Completion rate (%)"],
        ["rep", 4, 1, 2, 1, 1, 33.3],
        ["other_rep", 2, 1, 1, 0, 0, 50],
    ]
    answer = client_for(manager).get("/dashboard/churn/export/", {"period": "2026-10"})
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows(min_row=2)] == [
        ["Figure", "2026-10", "2026-09"],
        ["Customers churned", 1, 2],
        ["Customers at the start of the period", 4, 6],
        ["Churn rate (%)", 25, 33.3],
    ]
    assert [[cell.value for cell in row] for row in workbook.worksheets[1].iter_rows(min_row=3)] == [["rep", 1]]
    for key in ("customers_by_grade", "customers_by_status"):
        assert client_for(manager).get(f"/dashboard/{key}/export/", {"period": "2026-09"}).status_code == 200


# --- constant queries ---------------------------------------------------------------------------


def _queries(user, key) -> int:
    with CaptureQueriesContext(connection) as context:
        compute(block_for(user, key), Scope(user, SEPTEMBER))
    return len(context.captured_queries)


@pytest.mark.parametrize("key", KEYS)
def test_a_block_costs_the_same_queries_for_2_or_10_of_everything(manager, sales, key):
    """DSH-01: aggregate queries only, whatever the number of customers, reps and changes."""

    def add(count: int) -> None:
        for number in range(count):
            owner = UserFactory(department=sales, roles=[Role.SALES_REP])
            customer = make_customer(owner, "B", status="churned", churned="2026-09-10")
            regrade(customer, "C", "B", "2026-09-12", manager)
            regrade(customer, "B", "A", "2026-10-12", manager)
            make_visit(customer, "2026-09-1" + str(number % 10), "completed")
            make_visit(customer, "2026-08-20")

    add(2)
    _queries(manager, key)  # the manager's roles, read once
    few = _queries(manager, key)
    add(8)
    assert _queries(manager, key) == few


# --- churned_at, kept by the database -----------------------------------------------------------


def _now_in_the_database() -> datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


def _churned_at(customer):
    return Customer.objects.values_list("churned_at", flat=True).get(pk=customer.pk)


def test_an_orm_save_sets_keeps_and_clears_churned_at(rep):
    """DSH-01: turned churned → the transaction's time; another save, even of a copy read before
    (an outdated churned_at with it), keeps it; out of churned → cleared."""
    customer = CustomerFactory(owner=rep, status="active")
    stale = Customer.objects.get(pk=customer.pk)
    assert _churned_at(customer) is None
    customer.status = CustomerStatus.CHURNED
    customer.save()
    assert _churned_at(customer) == _now_in_the_database()
    Customer.objects.filter(pk=customer.pk).update(churned_at=at("2026-10-01"))
    stale.status, stale.name = CustomerStatus.CHURNED, "改名"
    stale.save()  # writes churned_at = None with the status: the time stays
    assert _churned_at(customer) == at("2026-10-01")
    customer.status = CustomerStatus.ACTIVE
    customer.save(update_fields=["status"])
    assert _churned_at(customer) is None


def test_sql_that_changes_the_status_sets_and_clears_churned_at(rep):
    """DSH-01: whoever writes — a raw UPDATE as much as the services; an INSERT as churned too."""
    customer = CustomerFactory(owner=rep, status="potential")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customers_customer SET status = 'churned' WHERE id = %s", [customer.pk])
        assert _churned_at(customer) == _now_in_the_database()
        cursor.execute("UPDATE customers_customer SET status = 'blacklisted' WHERE id = %s", [customer.pk])
        assert _churned_at(customer) is None
    assert _churned_at(CustomerFactory(owner=rep, status="churned")) == _now_in_the_database()


def test_churned_at_is_not_in_the_audit_history():
    """ORG-03: like follow_up_open, a figure the database keeps is not a change anybody made."""
    with pytest.raises(FieldDoesNotExist):
        Customer.history.model._meta.get_field("churned_at")
    assert Customer._meta.get_field("churned_at").editable is False


def test_the_backfill_takes_the_start_of_the_latest_run_of_churned(rep, time_machine):
    """DSH-01: customers churned before migration 0009: the first snapshot of their latest run
    of 'churned' in the audit history; without history, their last change."""
    time_machine.move_to(at("2026-08-01"), tick=False)
    customer = CustomerFactory(owner=rep, status="active")
    for day, status in (("2026-09-03", "churned"), ("2026-09-10", "active"), ("2026-09-20", "churned"),
                        ("2026-09-25", "churned")):  # fmt: skip
        time_machine.move_to(at(day), tick=False)
        customer.status = status
        customer.save()
    time_machine.move_to(at("2026-09-28"), tick=False)
    without_history = CustomerFactory(owner=rep, status="churned")
    without_history.history.all().delete()
    still_active = CustomerFactory(owner=rep, status="active")
    Customer.objects.update(churned_at=None)
    with connection.cursor() as cursor:
        cursor.execute(churned_at_migration.BACKFILL_SQL)
    assert _churned_at(customer) == at("2026-09-20")
    assert _churned_at(without_history) == at("2026-09-28")
    assert _churned_at(still_active) is None


# --- demo ---------------------------------------------------------------------------------------


def test_the_demo_has_churn_this_month_and_last(gm):
    """DSH-01: the demo's churn block is not empty, and seeding again changes nothing."""
    from crm_project.accounts import demo as accounts_demo
    from customers import demo

    accounts_demo.seed()
    demo.seed()
    first = figures("churn", gm)
    demo.seed()
    again = figures("churn", gm)
    assert first == again
    assert (again["churned"], again["previous"]["churned"]) == (2, 1)
    assert again["rate"] and again["previous"]["rate"]
    assert figures("visit_completion", gm)["planned"] > 0


def test_a_period_starting_today_counts_nothing_twice(manager, rep, time_machine):
    """DSH-01: on the first of the month the new period has begun: a customer churned the
    evening before counts for the month before."""
    time_machine.move_to(at("2026-11-01", 0) + timedelta(minutes=5), tick=False)
    make_customer(rep, status="churned", churned="2026-10-31")
    november = figures("churn", manager, parse_period("2026-11"))
    assert (november["churned"], november["previous"]["churned"]) == (0, 1)
