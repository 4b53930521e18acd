""" "My work" costs the same however much work there is (DSH-02, DSH-03): the rep's overdue and
coming visits and follow-ups, the manager's overdue visits by rep — a constant number of
queries with 2 or 20 of each."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import customers.my_work  # noqa: F401  (registers the panels, as CustomersConfig.ready() does)
from tests.customers.factories import CustomerFactory, InteractionFactory, VisitFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)


def _work(reps, count: int) -> None:
    for index in range(count):
        for rep in reps:
            customer = CustomerFactory(owner=rep)
            VisitFactory(customer=customer, planned_date=TODAY - timedelta(days=1 + index))
            VisitFactory(customer=customer, planned_date=TODAY + timedelta(days=index % 6))
            InteractionFactory(
                customer=customer,
                occurred_at=datetime(2026, 11, 10, 2, tzinfo=UTC),
                follow_up_date=TODAY + timedelta(days=index % 6),
            )


def _queries(client) -> int:
    client.get("/")  # settings rows, the calendar: made on the first visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_my_work_runs_a_constant_number_of_queries(client_for, rep, other_rep, manager, time_machine, who):
    """DSH-02: 2 or 20 overdue visits, coming visits and follow-ups each — same queries."""
    time_machine.move_to(datetime(2026, 11, 18, 1, tzinfo=UTC), tick=False)
    viewer = {"rep": rep, "manager": manager}[who]
    _work([rep, other_rep], 2)
    few = _queries(client_for(viewer))
    _work([rep, other_rep], 18)
    html = client_for(viewer).get("/").content.decode()
    assert ('id="my-follow-ups"' in html) if who == "rep" else ("other_rep" in html)
    assert _queries(client_for(viewer)) == few
