import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from crm_project.notifications.models import Notification
from crm_project.notifications.services import notify

pytestmark = pytest.mark.django_db


def _fill(user, count, prefix="n"):
    for index in range(count):
        notify(recipient=user, key=f"{prefix}-{user.pk}-{index}", title=f"Message {index}", email=False)


def test_the_inbox_shows_only_my_messages(client_for, rep, other_rep):
    """JOB-10: each user sees their own inbox."""
    notify(recipient=rep, key="mine", title="For rep", email=False)
    notify(recipient=other_rep, key="theirs", title="For other rep", email=False)
    html = client_for(rep).get("/inbox/").content.decode()
    assert "For rep" in html
    assert "For other rep" not in html


def test_the_unread_count_is_in_the_navigation_bar(client_for, rep):
    """JOB-10"""
    _fill(rep, 3)
    html = client_for(rep).get("/").content.decode()
    badge = html.split('id="unread-badge"')[1][:300]
    assert ">3<" in badge


def test_marking_read(client_for, rep):
    """JOB-10"""
    notification = notify(recipient=rep, key="a", title="A", email=False, url="/calendar/")
    client = client_for(rep)
    response = client.post(f"/inbox/{notification.pk}/read/", {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/calendar/"
    notification.refresh_from_db()
    assert notification.is_read


def test_marking_read_with_htmx_swaps_the_row(client_for, rep):
    notification = notify(recipient=rep, key="a", title="A", email=False)
    response = client_for(rep).post(f"/inbox/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{notification.pk}"' in response.content.decode()


def test_nobody_can_mark_anothers_message(client_for, rep, other_rep):
    """JOB-10, ORG-02"""
    notification = notify(recipient=other_rep, key="b", title="B", email=False)
    assert client_for(rep).post(f"/inbox/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read(client_for, rep, other_rep):
    _fill(rep, 2)
    _fill(other_rep, 2)
    client_for(rep).post("/inbox/read-all/")
    assert not Notification.objects.filter(recipient=rep, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_rep, read_at__isnull=True).count() == 2


def test_the_inbox_filters_and_paginates(client_for, rep):
    """DSH-03: filter, paginate."""
    _fill(rep, 30)
    client = client_for(rep)
    page = client.get("/inbox/")
    assert page.context["paginator"].count == 30
    assert len(page.context["object_list"]) == 25
    assert client.get("/inbox/", {"page": 2}).context["object_list"].__len__() == 5
    assert client.get("/inbox/", {"q": "Message 7"}).context["paginator"].count == 1
    assert client.get("/inbox/", {"status": "read"}).context["paginator"].count == 0


def test_the_empty_inbox_says_so(client_for, rep):
    html = client_for(rep).get("/inbox/").content.decode()
    assert 'id="empty-state"' in html


def test_the_inbox_sorts(client_for, rep):
    notify(recipient=rep, key="x1", title="Banana", email=False)
    notify(recipient=rep, key="x2", title="Apple", email=False)
    titles = [n.title for n in client_for(rep).get("/inbox/", {"sort": "title"}).context["object_list"]]
    assert titles == ["Apple", "Banana"]


def test_the_export_has_exactly_the_filtered_rows_and_is_logged(client_for, rep, other_rep):
    """DSH-03, CUS-07: export the filtered rows only; exports are logged."""
    _fill(rep, 4)
    notify(recipient=rep, key="formula", title='=HYPERLINK("http://evil")', email=False)
    _fill(other_rep, 3)
    response = client_for(rep).get("/inbox/", {"q": "Message", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    log = ExportLog.objects.get()
    assert (log.user, log.row_count, log.query) == (rep, 4, "q=Message")


def test_text_that_looks_like_a_formula_is_exported_as_text(client_for, rep):
    notify(recipient=rep, key="formula", title='=HYPERLINK("http://evil")', email=False)
    response = client_for(rep).get("/inbox/", {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = list(workbook.active.iter_rows(min_row=2))[0][1]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'


def test_the_inbox_runs_a_constant_number_of_queries(client_for, rep):
    """Query count does not grow with rows."""
    client = client_for(rep)
    _fill(rep, 1, prefix="a")
    with CaptureQueriesContext(connection) as one:
        client.get("/inbox/")
    _fill(rep, 24, prefix="b")
    with CaptureQueriesContext(connection) as many:
        client.get("/inbox/")
    assert len(one) == len(many)
