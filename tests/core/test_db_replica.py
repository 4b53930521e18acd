"""The read replica (issue 16): the dashboard (page, Excel, API) and the read-only reports read
from the "replica" database, while their writes — the export log of an Excel download — go to
"default", as does every read elsewhere (DSH-01, EXP-16, CMP-05, CUS-07).

The replica here is a second connection to the test database (a test mirror, as settings make it
when DATABASE_REPLICA_URL is set), so each query shows on the connection that ran it. The tests
are transactional: what one connection writes the other sees once committed."""

import threading

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from crm_project.accounts.models import User
from crm_project.core.db_router import REPLICA, ReplicaRouter, reads_from_replica
from crm_project.core.models import ExportLog
from tests.customers.factories import CustomerFactory

ON_BOTH = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
# What the middleware reads before and after a view, outside any replica context: the session,
# its user (and django-axes' and the language's look-ups of that user).
MIDDLEWARE_TABLES = ('"django_session"', '"accounts_user"')


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup, django_db_blocker):
    default = connections["default"].settings_dict
    connections.databases[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield REPLICA
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.databases[REPLICA]


class Queries:
    """The SQL each connection ran while in the block."""

    def __enter__(self):
        self._contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", REPLICA)}
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self._contexts.values():
            context.__exit__(*exc)
        self.default = [query["sql"] for query in self._contexts["default"].captured_queries]
        self.replica = [query["sql"] for query in self._contexts[REPLICA].captured_queries]

    def view_reads_on_default(self) -> list[str]:
        """The reads on default that the middleware does not explain."""
        reads = [sql for sql in self.default if sql.startswith("SELECT")]
        return [sql for sql in reads if not any(table in sql for table in MIDDLEWARE_TABLES)]


def _writes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


@ON_BOTH
def test_the_dashboard_reads_from_the_replica_and_logs_its_export_on_default(client_for, gm, rep):
    """DSH-01, CUS-07: the page, a block's Excel and the API read on the replica; the export
    log row is written on default; a page outside the dashboard reads on default only."""
    CustomerFactory(owner=rep, name="甲公司", grade="A")
    client = client_for(gm)
    for url in ("/dashboard/", "/api/v1/dashboard/"):
        with Queries() as queries:
            assert client.get(url).status_code == 200
        assert any('"customers_customer"' in sql for sql in queries.replica), url
        assert queries.view_reads_on_default() == [] and _writes(queries.replica) == [], url

    with Queries() as queries:
        download = client.get("/dashboard/customers_by_grade/export/")
    download.close()  # a streamed answer ends its request only when closed, as the server does
    assert download.status_code == 200
    assert queries.view_reads_on_default() == []
    assert _writes(queries.replica) == []
    assert [sql for sql in _writes(queries.default) if '"core_exportlog"' in sql]
    assert ExportLog.objects.filter(user=gm, name="dashboard-customers_by_grade").exists()

    with Queries() as queries:
        assert client.get("/customers/").status_code == 200
    assert queries.replica == [] and any('"customers_customer"' in sql for sql in queries.default)


@ON_BOTH
def test_the_year_end_budget_report_and_the_complaint_report_read_from_the_replica(client_for, finance, gm):
    """EXP-16, CMP-05, CUS-07: pages and Excel files read on the replica; their export logs on default."""
    for user, url, export in (
        (finance, "/fees/budgets/report/?year=2026", "&format=xlsx"),
        (gm, "/complaints/report/?start=2026-01&end=2026-12", "&export=xlsx"),
    ):
        client = client_for(user)
        with Queries() as queries:
            assert client.get(url).status_code == 200
        assert queries.replica and queries.view_reads_on_default() == [] and _writes(queries.default) == [], url
        with Queries() as queries:
            download = client.get(url + export)
        download.close()
        assert download.status_code == 200
        assert queries.view_reads_on_default() == [] and _writes(queries.replica) == [], url
        assert [sql for sql in _writes(queries.default) if '"core_exportlog"' in sql], url
    assert ExportLog.objects.filter(name="complaint-report").exists()
    assert not Complaint.objects.exists()


def test_a_write_inside_the_context_goes_to_default_and_rows_may_relate_across():
    router = ReplicaRouter()
    with reads_from_replica():
        assert router.db_for_read(User) == REPLICA
        assert router.db_for_write(User) == "default"
        assert router.allow_relation(User(), User())
    assert router.db_for_read(User) == "default"
    assert [router.allow_migrate(alias, "customers") for alias in ("default", REPLICA)] == [True, False]


def test_the_context_holds_for_its_own_thread_only_and_ends_with_the_view_even_on_an_error():
    """gthread workers serve requests side by side: one request's replica reads never leak into
    another thread's, nor into the next request after a view that raised."""
    router = ReplicaRouter()
    seen_by_another_thread = []

    @reads_from_replica()
    def failing_view():
        other = threading.Thread(target=lambda: seen_by_another_thread.append(router.db_for_read(User)))
        other.start()
        other.join()
        assert router.db_for_read(User) == REPLICA
        raise ValueError("the view failed")

    with pytest.raises(ValueError, match="the view failed"):
        failing_view()
    assert seen_by_another_thread == ["default"]
    assert router.db_for_read(User) == "default"
