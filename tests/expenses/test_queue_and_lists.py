"""The signer's queue, the list of statements and the ledger page: access (EXP-13), order
(EXP-07), filters, sums (EXP-03), exports (DSH-03) and constant query counts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from crm_project.accounts.models import User
from crm_project.core.models import ExportLog
from expenses.models import EntryKind, LedgerEntry, Statement, StatementStatus
from expenses.services.ledger import account_for
from expenses.services.statements import deadlines_for
from tests.expenses.factories import SEPTEMBER, ProductFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

AUGUST = datetime.date(2026, 8, 1)


@pytest.fixture
def october(time_machine):
    time_machine.move_to("2026-10-12 10:00 +0800", tick=False)
    return time_machine


def _statement(rep, *, month=SEPTEMBER, status=StatementStatus.SUBMITTED, hours_ago=1, late=False):
    due_at, review_due_at = deadlines_for(month)
    submitted = timezone.now() - datetime.timedelta(hours=hours_ago)
    return Statement.objects.create(
        rep=rep,
        month=month,
        status=status,
        due_at=due_at,
        review_due_at=review_due_at,
        submitted_at=None if status == StatementStatus.DRAFT else submitted,
        first_submitted_at=None if status == StatementStatus.DRAFT else submitted,
        late=late,
    )


def _reps(department, count, *, start=0):
    """Reps who never log in: created in bulk without hashing a password (hashing is slow)."""
    users = User.objects.bulk_create(
        User(username=f"rep{index:03d}", department=department, password="!") for index in range(start, start + count)
    )
    group = Group.objects.get(name="sales_rep")
    User.groups.through.objects.bulk_create(User.groups.through(user=user, group=group) for user in users)
    return users


def _html(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def _rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_queue_shows_what_waits_for_me_oldest_first(client_for, sales, clerk, manager, october):
    """EXP-07: oldest first; a statement moves on to the next signer's queue."""
    newest, oldest, middle = (_statement(rep, hours_ago=h) for rep, h in zip(_reps(sales, 3), (1, 30, 5), strict=True))
    html = _html(client_for(clerk).get("/fees/queue/"))
    positions = [html.index(f"/fees/statements/{s.pk}/") for s in (oldest, middle, newest)]
    assert positions == sorted(positions)
    assert "Nothing waits for your signature." in _html(client_for(manager).get("/fees/queue/"))
    client_for(clerk).post(f"/fees/statements/{oldest.pk}/sign/")
    assert f"/fees/statements/{oldest.pk}/" not in _html(client_for(clerk).get("/fees/queue/"))
    assert f"/fees/statements/{oldest.pk}/" in _html(client_for(manager).get("/fees/queue/"))


def test_the_queue_shows_nothing_to_those_who_do_not_sign_it(
    client_for, rep, other_rep, outsider, gm, director, october
):
    """EXP-13, EXP-07: other reps, other departments, management and the director see nothing."""
    statement = _statement(rep)
    east = DepartmentFactory(code="sales-east")
    foreign_clerk = UserFactory(username="east-clerk", department=east, roles=["sales_clerk"])
    for person in (rep, other_rep, outsider, gm, director, foreign_clerk):
        response = client_for(person).get("/fees/queue/")
        assert response.status_code == 200
        assert f"/fees/statements/{statement.pk}/" not in _html(response), person
        rows = _rows(client_for(person).get("/fees/queue/?export=xlsx"))
        assert len(rows) == 1, person  # the header only


def test_finance_queue_holds_every_department_after_the_manager(client_for, sales, finance, october):
    """EXP-07: finance signs third, for every department."""
    east = DepartmentFactory(code="sales-east")
    ours = _statement(_reps(sales, 1)[0], status=StatementStatus.MANAGER_SIGNED)
    theirs = _statement(_reps(east, 1, start=10)[0], status=StatementStatus.MANAGER_SIGNED)
    not_yet = _statement(_reps(sales, 1, start=20)[0], status=StatementStatus.CLERK_SIGNED)
    html = _html(client_for(finance).get("/fees/queue/"))
    assert f"/fees/statements/{ours.pk}/" in html and f"/fees/statements/{theirs.pk}/" in html
    assert f"/fees/statements/{not_yet.pk}/" not in html


def test_the_queue_filters_and_exports(client_for, sales, clerk, october):
    """DSH-03: filter by month and late; the export has exactly the filtered rows."""
    reps = _reps(sales, 3)
    _statement(reps[0], late=True)
    _statement(reps[1])
    _statement(reps[2], month=AUGUST)
    client = client_for(clerk)
    assert _html(client.get("/fees/queue/?month=2026-09")).count('class="queue-row"') == 2
    assert _html(client.get("/fees/queue/?late=yes")).count('class="queue-row"') == 1
    rows = _rows(client.get("/fees/queue/?month=2026-09&export=xlsx"))
    assert len(rows) == 3 and {row[0] for row in rows[1:]} == {"rep000", "rep001"}
    assert ExportLog.objects.filter(user=clerk, name="signature-queue").count() == 1


def test_the_queue_runs_a_constant_number_of_queries(client_for, sales, clerk, october):
    """5 statements waiting and 50 cost the same queries."""
    for rep in _reps(sales, 5):
        _statement(rep)
    client = client_for(clerk)
    client.get("/fees/queue/")
    with CaptureQueriesContext(connection) as five:
        client.get("/fees/queue/")
    for rep in _reps(sales, 45, start=5):
        _statement(rep)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/fees/queue/")
    assert _html(response).count('class="queue-row"') == 25
    assert len(five) == len(fifty)


def test_the_statement_list_is_scoped_and_filtered(client_for, sales, rep, other_rep, director, finance, gm, october):
    """EXP-13: the rep sees their own, the director the department's, finance all, management none."""
    east = DepartmentFactory(code="sales-east")
    mine = _statement(rep, status=StatementStatus.DRAFT)
    theirs = _statement(other_rep, status=StatementStatus.VALID, late=True)
    far = _statement(_reps(east, 1)[0])
    visible = {
        rep: {mine},
        other_rep: {theirs},
        director: {mine, theirs},
        finance: {mine, theirs, far},
        gm: set(),
    }
    for person, expected in visible.items():
        html = _html(client_for(person).get("/fees/statements/"))
        shown = {s for s in (mine, theirs, far) if f"/fees/statements/{s.pk}/" in html}
        assert shown == expected, person
    client = client_for(director)
    assert f"/fees/statements/{theirs.pk}/" in _html(client.get("/fees/statements/?status=valid"))
    assert f"/fees/statements/{mine.pk}/" not in _html(client.get("/fees/statements/?status=valid"))
    assert f"/fees/statements/{mine.pk}/" not in _html(client.get("/fees/statements/?late=yes"))
    assert f"/fees/statements/{mine.pk}/" in _html(client.get(f"/fees/statements/?rep={rep.pk}"))
    assert f"/fees/statements/{theirs.pk}/" not in _html(client.get(f"/fees/statements/?rep={rep.pk}"))
    rows = _rows(client.get("/fees/statements/?export=xlsx&sort=rep"))
    assert [row[0] for row in rows[1:]] == ["other_rep", "rep"]


def test_the_statement_list_runs_a_constant_number_of_queries(client_for, sales, finance, october):
    for rep in _reps(sales, 5):
        _statement(rep)
    client = client_for(finance)
    client.get("/fees/statements/")
    with CaptureQueriesContext(connection) as five:
        client.get("/fees/statements/")
    for rep in _reps(sales, 45, start=5):
        _statement(rep)
    with CaptureQueriesContext(connection) as fifty:
        client.get("/fees/statements/")
    assert len(five) == len(fifty)


@pytest.fixture
def ledger(rep, other_rep, finance, october):
    module, cable = ProductFactory(code="P-MOD", name="模块"), ProductFactory(code="P-CAB", name="线缆")
    entries = [
        (rep, module, EntryKind.ACCRUAL, "108.00", SEPTEMBER),
        (rep, module, EntryKind.ACCRUAL, "50.00", SEPTEMBER),
        (rep, module, EntryKind.ADVANCE, "100.00", SEPTEMBER),
        (rep, cable, EntryKind.ACCRUAL, "30.00", AUGUST),
        (other_rep, module, EntryKind.ACCRUAL, "999.00", SEPTEMBER),
    ]
    for who, product, kind, amount, month in entries:
        LedgerEntry.objects.create(
            account=account_for(product), kind=kind, amount=Decimal(amount), month=month, rep=who, posted_by=finance
        )
    return module, cable


def test_the_ledger_sums_per_account_and_month_within_what_i_may_see(client_for, rep, finance, ledger):
    """EXP-03: sums per account and month by kind; EXP-13: a rep sees only their own entries."""
    html = _html(client_for(rep).get("/fees/ledger/"))
    assert "158.00" in html and "100.00" in html and "30.00" in html
    assert "999.00" not in html and "1157.00" not in html
    assert "客户关系维护费——模块" in html and "客户关系维护费——线缆" in html
    html = _html(client_for(finance).get("/fees/ledger/"))
    assert "1157.00" in html  # 108 + 50 + 999 accrued on the module account in September


def test_the_ledger_filters_and_exports(client_for, rep, finance, ledger):
    """DSH-03: filter by account, month, kind and rep; the export has exactly those rows."""
    module, _cable = ledger
    client = client_for(finance)
    account = account_for(module)
    query = f"account={account.pk}&month=2026-09&kind=accrual&rep={rep.pk}"
    html = _html(client.get(f"/fees/ledger/?{query}"))
    assert "158.00" in html and "999.00" not in html
    rows = _rows(client.get(f"/fees/ledger/?{query}&export=xlsx"))
    assert sorted(row[4] for row in rows[1:]) == [50, 108]
    assert ExportLog.objects.get(name="ledger").row_count == 2


def test_nobody_outside_sees_ledger_entries(client_for, outsider, gm, ledger):
    """EXP-13"""
    for person in (outsider, gm):
        html = _html(client_for(person).get("/fees/ledger/"))
        assert "108.00" not in html and "No entries yet." in html
