"""Customer service's landing card (DSH-02, CMP-04): the open complaints by the time left to the
target still running — the first response while none is given, then the solution — overdue
ones first; a complaint whose solution is proposed has no target running and comes last. A
constant number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _complaint(reference: str, status: str, *, response_in, solution_in, responded: bool = True, **values):
    return ComplaintFactory(
        **values,
        reference=reference,
        status=status,
        received_at=NOW - timedelta(days=10),
        response_due_at=NOW + response_in,
        solution_due_at=NOW + solution_in,
        responded_at=NOW - timedelta(days=9) if responded else None,
    )


def _rows(client) -> list:
    document = lxml.html.fromstring(client.get("/").content)
    return document.xpath('//*[@id="panel-open_complaints"]//*[@id="open-complaints"]/li')


@pytest.fixture
def complaints(db):
    """By the solution target alone the order would be D, C, B, A, E — the wrong one."""
    hour, day = timedelta(hours=1), timedelta(days=1)
    return {
        "A": _complaint("TS-2026-500001", "received", response_in=2 * hour, solution_in=5 * day, responded=False),
        "B": _complaint("TS-2026-500002", "assigned", response_in=-8 * day, solution_in=day),
        "C": _complaint("TS-2026-500003", "investigating", response_in=-8 * day, solution_in=-2 * day),
        "D": _complaint("TS-2026-500004", "solution_proposed", response_in=-8 * day, solution_in=-3 * day),
        "E": _complaint("TS-2026-500005", "received", response_in=-hour, solution_in=6 * day, responded=False),
        "closed": _complaint(
            "TS-2026-500006",
            "closed",
            response_in=-8 * day,
            solution_in=-9 * day,
            root_cause="x",
            preventive_action="y",
        ),
    }


def test_open_complaints_come_by_time_left(client_for, service, complaints):
    """DSH-02, CMP-04: the solution overdue by 2 days, the response overdue by an hour, the
    response due in 2 hours, the solution due in a day, then the proposed solution; the closed
    complaint is not open."""
    rows = _rows(client_for(service))
    assert [row.get("data-reference") for row in rows] == [
        complaints[key].reference for key in ("C", "E", "A", "B", "D")
    ]
    texts = [" ".join(row.xpath('string(.//*[contains(@class, "time-left")])').split()) for row in rows]
    assert texts == [
        "solution: overdue by 2 days",
        "first response: overdue by 1 hour",
        "first response: 2 hours left",
        "solution: 1 day left",
        "",
    ]


def test_management_sees_the_same_order(client_for, gm, complaints):
    """DSH-02: the company's open complaints, read-only, in the same order of time left."""
    rows = _rows(client_for(gm))
    assert [row.get("data-reference") for row in rows] == [
        complaints[key].reference for key in ("C", "E", "A", "B", "D")
    ]


def _queries(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_card_runs_a_constant_number_of_queries(client_for, service):
    """DSH-02: 2 or 20 open complaints — the same queries."""
    for n in range(2):
        _complaint(f"TS-2026-6{n:05d}", "received", response_in=timedelta(hours=n), solution_in=timedelta(days=n))
    few = _queries(client_for(service))
    for n in range(2, 20):
        _complaint(f"TS-2026-6{n:05d}", "assigned", response_in=-timedelta(hours=n), solution_in=timedelta(days=n))
    assert _queries(client_for(service)) == few
