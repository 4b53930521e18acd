"""Each role lands on its own page (DSH-02, ORG-02): after login and at "/", every demo role sees
its own cards and not another role's — the rep their statement with its countdown, their due
and overdue visits and their open fee steps; the clerk, the manager and finance what waits for
their signature; operations today's open requests; procurement the suppliers in progress by
stage; customer service the open complaints by time left; management the dashboard. A user
with several roles sees each role's cards.

The demo data (`manage.py seed_demo`) is loaded once for the module, with the clock pinned, in a
transaction rolled back at the end (as in test_crawl.py)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.contrib.auth.models import Group
from django.test import Client

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from tests.demo import demo_seeded_at

# A Monday in the middle of a month: the demo's statements, sign-off sheets and requests are all
# under way (the same moment as the crawl).
PINNED = datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# The cards that say which role a page belongs to. Each demo user must see exactly those of
# them listed below: the ones of their role, and no other role's. (Cards everyone may get —
# the inbox, expense claims, survey follow-ups — are not role cards and are not checked here.)
ROLE_CARDS = {
    "fees_statement", "fees_steps", "my_overdue_visits", "my_visits_this_week", "my_follow_ups",
    "fees_queue", "team_overdue_visits",
    "tenant_desk", "tenant_requests",
    "supplier_pipeline", "supplier_applications", "supplier_surveys",
    "open_complaints",
    "dashboard",
}  # fmt: skip
REP = {"fees_statement", "fees_steps", "my_overdue_visits", "my_visits_this_week", "my_follow_ups"}
LANDING = {
    "rep1": REP,
    "clerk1": {"fees_queue"},
    # The manager also heads Sales, so the complaints assigned to Sales are theirs to follow.
    "manager1": {"fees_queue", "team_overdue_visits", "open_complaints"},
    "director1": {"team_overdue_visits"},
    "finance1": {"fees_queue", "open_complaints"},  # finance1 heads Finance
    "ops1": {"tenant_desk"},
    "procure1": {"supplier_pipeline"},
    "procurehead1": {"supplier_pipeline", "supplier_applications", "open_complaints"},  # heads Procurement
    "service1": {"open_complaints", "tenant_requests"},
    "gm1": {"dashboard", "open_complaints"},
}


demo = demo_seeded_at(PINNED)


def landing(username: str):
    """The user's "/" (in English) as a parsed document."""
    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def cards(document) -> set[str]:
    return {element.get("id").removeprefix("panel-") for element in document.xpath('//*[starts-with(@id, "panel-")]')}


def card(document, key: str):
    found = document.xpath(f'//*[@id="panel-{key}"]')
    assert found, f"no card {key}"
    return found[0]


def text(element) -> str:
    return " ".join(element.text_content().replace("\xa0", " ").split())


@pytest.mark.parametrize("username", sorted(LANDING))
def test_each_demo_role_lands_on_its_own_cards(demo, db, username):
    """DSH-02, ORG-02: the role's cards, and none of another role's."""
    shown = cards(landing(username))
    assert shown & ROLE_CARDS == LANDING[username], sorted(shown & ROLE_CARDS)


def test_the_rep_sees_the_statement_visits_and_fee_steps(demo, db):
    """DSH-02, EXP-06, CUS-09: rep1's last month's statement with where it stands against the 3rd
    working day, their overdue and coming visits, and the fee-steps card."""
    document = landing("rep1")
    assert "Statement for 2026-02" in text(card(document, "fees_statement"))
    assert card(document, "my_overdue_visits").xpath(".//li")
    assert card(document, "my_visits_this_week").xpath(".//li")
    assert card(document, "fees_steps") is not None


def test_a_rep_with_payouts_open_sees_them_with_their_deadlines(demo, db):
    """DSH-02, EXP-11: rep3's January statement is valid, half of its sheets paid out, past the
    payout day: the payout and hand-in steps show, the payout overdue."""
    steps = card(landing("rep3"), "fees_steps")
    assert steps.xpath('.//*[@data-month="2026-01"]')
    keys = [step.get("data-step") for step in steps.xpath('.//li[contains(@class, "fee-step")]')]
    assert "payout" in keys and "handed" in keys
    payout = steps.xpath('.//li[@data-step="payout"]')[0]
    assert "4 of 8 paid out" in text(payout) and payout.xpath('.//*[contains(@class, "step-overdue")]')


@pytest.mark.parametrize("username", ["clerk1", "manager1", "finance1"])
def test_the_signers_queue_is_oldest_first_with_the_8th_working_day(demo, db, username):
    """DSH-02, EXP-07: what waits for the signature, each with its review deadline."""
    queue = card(landing(username), "fees_queue")
    rows = queue.xpath('.//li[contains(@class, "queue-statement")]')
    assert rows, f"nothing waits for {username} in the demo"
    assert all("(8th working day)" in text(row) for row in rows)


def test_operations_sees_the_open_requests_breaches_first(demo, db):
    """DSH-02, TEN-02, TEN-03: the breached requests lead the list, none after an unbreached one."""
    desk = card(landing("ops1"), "tenant_desk")
    rows = desk.xpath('.//*[@id="tenant-desk-requests"]/li')
    assert rows
    breached = ["breached" in text(row) for row in rows]
    assert breached == sorted(breached, reverse=True), breached
    assert int(desk.xpath('string(.//*[@id="desk-open-count"])')) >= len(rows)


def test_procurement_sees_the_suppliers_by_stage(demo, db):
    """DSH-02, SUP-02: the demo has one file at each stage from candidate to contracted."""
    pipeline = card(landing("procure1"), "supplier_pipeline")
    counts = {
        row.get("data-stage"): int(text(row.xpath('.//*[contains(@class, "stage-count")]')[0]))
        for row in pipeline.xpath('.//*[@id="supplier-pipeline"]/li')
    }
    assert counts == {
        "candidate": 1, "general_survey": 1, "onsite_survey": 1, "approval": 1, "approved": 1, "contracted": 1,
    }  # fmt: skip


def test_customer_service_sees_the_open_complaints_by_time_left(demo, db):
    """DSH-02, CMP-04: overdue first, then the least time left; no time once the solution is proposed."""
    complaints = card(landing("service1"), "open_complaints")
    seconds = []
    for row in complaints.xpath('.//*[@id="open-complaints"]/li'):
        left = text(row.xpath('.//*[contains(@class, "time-left")]')[0])
        seconds.append(_signed_seconds(left))
    assert seconds, "no open complaint in the demo"
    running = [value for value in seconds if value is not None]
    assert running == sorted(running)
    assert seconds[: len(running)] == running  # the ones with no target running come last


_UNITS = {"year": 365 * 86400, "month": 30 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60}


def _signed_seconds(left: str) -> int | None:
    """ "solution: overdue by 2 days, 3 hours" → negative seconds; "… 5 hours left" → positive."""
    if not left:
        return None
    total = sum(int(n) * _UNITS[unit] for n, unit in re.findall(r"(\d+)\s+(year|month|week|day|hour|minute)", left))
    return -total if "overdue" in left else total


def test_management_lands_on_the_dashboard(demo, db):
    """DSH-01, DSH-02: the dashboard is management's page."""
    document = landing("gm1")
    assert "dashboard" in cards(document)
    assert document.xpath('//*[@id="panel-dashboard"]')[0].get("class").split().count("col-lg-6") == 0


def test_a_user_with_several_roles_sees_each_roles_cards(demo, db):
    """DSH-02: procure1 given the operations role too lands on both procurement's and the desk's cards."""
    user = User.objects.get(username="procure1")
    user.groups.add(Group.objects.get(name=Role.OPERATIONS.value))
    assert {"supplier_pipeline", "tenant_desk"} <= cards(landing("procure1"))
