"""TEN-02, DSH-03: the request log — filters, export laid out like the paper log, constant queries."""

import io

import openpyxl
import pytest
from django.urls import reverse

from .factories import RequestFactory, TenantFactory

pytestmark = pytest.mark.django_db


def _log(client, **query):
    return client.get(reverse("tenants:request_list"), query)


def test_the_log_runs_the_same_queries_for_2_and_12_requests(client, desk, engineering, django_assert_max_num_queries):
    """TEN-02, DSH-03: a constant number of queries, whatever the rows."""
    client.force_login(desk)
    tenant = TenantFactory(actor=desk)
    for _ in range(2):
        RequestFactory(actor=desk, tenant=tenant)
    with django_assert_max_num_queries(14) as few:
        assert _log(client).status_code == 200
    for _ in range(10):
        RequestFactory(actor=desk, tenant=TenantFactory(actor=desk))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _log(client).status_code == 200


def test_filters_and_the_export_show_the_filtered_rows(client, desk, tenant, engineering):
    """TEN-02, DSH-03: by category and breached; the export holds exactly the rows on screen."""
    client.force_login(desk)
    RequestFactory(actor=desk, tenant=tenant, category="repair", description="空调不制冷")
    RequestFactory(actor=desk, tenant=tenant, category="inquiry", description="咨询停车")
    shown = _log(client, category="inquiry").context["object_list"]
    assert [row.description for row in shown] == ["咨询停车"]
    assert _log(client, breached="true").context["object_list"].count() == 0
    response = _log(client, category="repair", export="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "空调不制冷" in rows[1]


def test_outsiders_may_not_open_the_log(client, rep, buyer):
    """ORG-02: a sales rep and a supplier-side user get 403."""
    for outsider in (rep, buyer):
        client.force_login(outsider)
        assert _log(client).status_code == 403
