"""TEN-05, ORG-02, DSH-03: the tenant meeting pages and API — operations writes, management
reads, outsiders get 403 on the list and 404 on a meeting; bad input is a form error that
writes nothing; the list's queries do not grow with its rows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from tenants.models import MeetingAttendance, TenantMeeting, TenantRequest
from tenants.services.meetings import meeting_add_suggestion, meeting_create
from tenants.services.requests import request_assign, request_respond

from .factories import TenantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE = datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI)
LIST = "/tenants/meetings/"


@pytest.fixture(autouse=True)
def _june():
    with time_machine.travel(JUNE, tick=False):
        yield


def _meeting(desk, tenants, held_on=date(2026, 3, 20), **values):
    return meeting_create(
        actor=desk, held_on=held_on, kind=values.pop("kind", "quarterly"), title=values.pop("title", "一季度租户大会"),
        attendees={t.pk: "店长" for t in tenants}, **values,
    )  # fmt: skip


def test_desk_records_a_meeting_with_its_attendance_and_a_suggestion(client_for, desk, tenant):
    """TEN-05, TEN-02: the form with the attendance picked; the meeting page logs a suggestion as a
    request (channel meeting) and shows its status."""
    other = TenantFactory(actor=desk)
    client = client_for(desk)
    assert client.get(reverse("tenants:meeting_new")).status_code == 200
    response = client.post(
        reverse("tenants:meeting_new"),
        {
            "held_on": "2026-03-20", "kind": "quarterly", "title": "一季度租户大会", "agenda": "议程",
            "minutes": "纪要",
            "attendees": [tenant.pk, other.pk], f"attendee_name_{tenant.pk}": "王店长",
        },
    )  # fmt: skip
    meeting = TenantMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tenants:meeting_detail", args=[meeting.pk])
    assert dict(MeetingAttendance.objects.values_list("tenant_id", "attendee_name")) == {
        tenant.pk: "王店长",
        other.pk: "",
    }
    assert meeting.organised_by == desk
    suggest = reverse("tenants:meeting_suggest", args=[meeting.pk])
    response = client.post(suggest, {"tenant": tenant.pk, "category": "suggestion", "description": "增设座椅"})
    assert response.status_code == 302
    request = TenantRequest.objects.get()
    assert (request.channel, request.meeting_id, request.tenant_id) == ("meeting", meeting.pk, tenant.pk)
    page = client.get(reverse("tenants:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert request.reference in page.content.decode() and 'data-status="logged"' in page.content.decode()
    edit = client.get(reverse("tenants:meeting_edit", args=[meeting.pk]))
    assert edit.status_code == 200 and f'value="{tenant.pk}" id="attendee-{tenant.pk}" checked' in edit.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {"held_on": "2026-03-20", "kind": "annual", "title": "x"},
        {"held_on": "not a date", "kind": "quarterly", "title": "x"},
        {"held_on": "2026-03-20", "kind": "quarterly", "title": ""},
        {"held_on": "2026-03-20", "kind": "quarterly", "title": "x", "attendees": ["abc"]},
        {"held_on": "2026-03-20", "kind": "quarterly", "title": "x", "attendees": ["999999"]},
        {"held_on": "2026-07-20", "kind": "quarterly", "title": "future", "attendees": ["TENANT"]},
    ],
)
def test_bad_meeting_input_is_400_and_writes_nothing(client_for, desk, tenant, body):
    """TEN-05: a wrong kind, date, empty title, a tenant not in the list, attendance before the
    meeting is held → the form again, with the error; nothing written."""
    body = {key: [str(tenant.pk) if v == "TENANT" else v for v in value] if isinstance(value, list) else value
            for key, value in body.items()}  # fmt: skip
    response = client_for(desk).post(reverse("tenants:meeting_new"), body)
    assert response.status_code == 400
    assert not TenantMeeting.objects.exists() and not MeetingAttendance.objects.exists()


def test_a_bad_suggestion_is_400_and_logs_nothing(client_for, desk, tenant):
    """TEN-05: a tenant who did not attend, or no text → a form error; no request."""
    stranger = TenantFactory(actor=desk)
    meeting = _meeting(desk, [tenant])
    client = client_for(desk)
    suggest = reverse("tenants:meeting_suggest", args=[meeting.pk])
    assert (
        client.post(suggest, {"tenant": stranger.pk, "category": "suggestion", "description": "x"}).status_code == 400
    )
    assert client.post(suggest, {"tenant": tenant.pk, "category": "suggestion", "description": ""}).status_code == 400
    assert client.post(suggest, {"tenant": tenant.pk, "category": "nonsense", "description": "x"}).status_code == 400
    assert not TenantRequest.objects.exists()


def test_management_reads_and_writes_nothing(client_for, desk, gm, tenant):
    """TEN-05, ORG-02: the GM sees the list, the targets and a meeting; every write is a 403."""
    meeting = _meeting(desk, [tenant])
    client = client_for(gm)
    page = client.get(LIST)
    assert (
        page.status_code == 200 and b'id="meeting-targets"' in page.content and b'id="new-meeting"' not in page.content
    )
    detail = client.get(reverse("tenants:meeting_detail", args=[meeting.pk]))
    assert detail.status_code == 200 and b'id="suggestion-form"' not in detail.content
    assert client.get(reverse("tenants:meeting_new")).status_code == 403
    assert client.get(reverse("tenants:meeting_edit", args=[meeting.pk])).status_code == 403
    suggest = reverse("tenants:meeting_suggest", args=[meeting.pk])
    assert client.post(suggest, {"tenant": tenant.pk, "category": "suggestion", "description": "x"}).status_code == 403
    assert not TenantRequest.objects.exists()
    assert client.get(LIST, {"export": "xlsx"}).status_code == 200


@pytest.mark.parametrize("who", ["rep", "buyer", "engineer"])
def test_outsiders_get_403_on_the_list_and_404_on_a_meeting(client_for, request, desk, tenant, who):
    """TEN-05, ORG-02: a sales rep, procurement, and even Engineering (which handles requests)
    see no meeting: 403 on the list and the form, 404 on a meeting, an empty API list."""
    meeting = _meeting(desk, [tenant])
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, {"export": "xlsx"}).status_code == 403
    assert client.get(reverse("tenants:meeting_new")).status_code == 403
    for name in ("tenants:meeting_detail", "tenants:meeting_edit"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    suggest = reverse("tenants:meeting_suggest", args=[meeting.pk])
    assert client.post(suggest, {"tenant": tenant.pk, "description": "x"}).status_code == 404
    api = APIClient()
    api.force_authenticate(person)
    assert api.get("/api/v1/tenant-meetings/").json()["results"] == []
    assert api.get(f"/api/v1/tenant-meetings/{meeting.pk}/").status_code == 404


def test_the_list_filters_sorts_exports_and_shows_the_targets(client_for, desk, tenant):
    """TEN-05, DSH-03: by year and kind; the targets follow the year filtered."""
    _meeting(desk, [tenant])
    _meeting(desk, [], held_on=date(2025, 10, 10), kind="event", title="去年专题")
    client = client_for(desk)
    rows = client.get(LIST, {"year": "2026"}).context["object_list"]
    assert [m.title for m in rows] == ["一季度租户大会"]
    assert [m.title for m in client.get(LIST, {"kind": "event"}).context["object_list"]] == ["去年专题"]
    assert [m.title for m in client.get(LIST, {"sort": "held_on"}).context["object_list"]] == [
        "去年专题",
        "一季度租户大会",
    ]
    page = client.get(LIST)
    assert page.context["targets"].year == 2026 and str(page.context["targets"].attendance_rate) == "100.0"
    assert client.get(LIST, {"year": "2025"}).context["targets"].tenants_met == 0
    assert client.get(LIST, {"year": "abc"}).status_code == 200
    export = client.get(LIST, {"year": "2026", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    empty = client.get(LIST, {"year": "2030"})
    assert b'id="empty-state"' in empty.content


def test_the_list_runs_the_same_queries_for_1_and_12_meetings(client_for, desk, tenant, django_assert_max_num_queries):
    """TEN-05, DSH-03: a constant number of queries, whatever the rows, their attendance and suggestions."""
    client = client_for(desk)
    _meeting(desk, [tenant])
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST).status_code == 200
    for number in range(11):
        extra = TenantFactory(actor=desk)
        meeting = _meeting(desk, [tenant, extra], held_on=date(2026, 1 + number % 5, 10), title=f"会议{number}")
        meeting_add_suggestion(actor=desk, meeting=meeting, tenant=extra, description="建议")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_the_api_has_the_contract_names(desk, tenant, django_assert_max_num_queries):
    """TEN-05: /api/v1/tenant-meetings/ — id, held_on, kind, attendees (tenant ids), suggestions
    (request ids); read-only; queries constant."""
    meeting = _meeting(desk, [tenant])
    suggestion = meeting_add_suggestion(actor=desk, meeting=meeting, tenant=tenant, description="建议")
    api = APIClient()
    api.force_authenticate(desk)
    body = api.get("/api/v1/tenant-meetings/").json()["results"]
    assert body == [
        {"id": meeting.pk, "held_on": "2026-03-20", "kind": "quarterly", "attendees": [tenant.pk],
         "suggestions": [suggestion.pk]},
    ]  # fmt: skip
    assert api.get(f"/api/v1/tenant-meetings/{meeting.pk}/").json()["suggestions"] == [suggestion.pk]
    assert api.post("/api/v1/tenant-meetings/", {}, format="json").status_code == 405
    with django_assert_max_num_queries(8) as few:
        api.get("/api/v1/tenant-meetings/")
    for _ in range(5):
        _meeting(desk, [tenant, TenantFactory(actor=desk)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get("/api/v1/tenant-meetings/")


def test_a_suggestion_links_back_to_its_meeting_for_the_desk_only(client_for, desk, engineer, engineering, tenant):
    """TEN-05, ORG-02: the request of a suggestion names its meeting; the desk gets a link, the
    department it is assigned to sees the title without a link (the meeting is the desk's)."""
    meeting = _meeting(desk, [tenant])
    suggestion = meeting_add_suggestion(actor=desk, meeting=meeting, tenant=tenant, description="增加停车位")
    request_assign(actor=desk, request=suggestion, department=engineering)
    url = reverse("tenants:request_detail", args=[suggestion.pk])
    link = reverse("tenants:meeting_detail", args=[meeting.pk])
    desk_page = client_for(desk).get(url).content.decode()
    assert 'id="request-meeting"' in desk_page and link in desk_page
    engineer_page = client_for(engineer).get(url).content.decode()
    assert meeting.title in engineer_page and link not in engineer_page


def test_my_work_lists_the_meeting_suggestions_not_yet_answered(client_for, desk, tenant, rep):
    """TEN-05, DSH-02: every suggestion is to be answered; the desk sees those still waiting,
    and none once answered."""
    meeting = _meeting(desk, [tenant])
    suggestion = meeting_add_suggestion(actor=desk, meeting=meeting, tenant=tenant, description="增加停车位")
    page = client_for(desk).get(reverse("core:my_work")).content.decode()
    assert 'id="meeting-suggestions-open"' in page and suggestion.reference in page
    assert 'id="meeting-suggestions-open"' not in client_for(rep).get(reverse("core:my_work")).content.decode()
    request_respond(actor=desk, request=suggestion, note="已增设临时车位")
    # Still an open request, so the desk's own card lists it; the suggestions card no longer does.
    page = client_for(desk).get(reverse("core:my_work")).content.decode()
    card = page.split('id="panel-meeting_suggestions"')[1].split('id="panel-')[0]
    assert suggestion.reference not in card
