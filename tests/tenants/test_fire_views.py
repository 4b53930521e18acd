"""TEN-07, ORG-02, DSH-03: the fire-safety inspection pages and API — progress by floor, the
result form, the rectification letters and re-inspection; outsiders see nothing; bad input is a
400 that writes nothing; list queries do not grow with the rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tenants.models import FireInspection, FireInspectionNotice, InspectionResult, Rectification
from tenants.services.fire import check_item_codes, issue_monthly_notice, record_result

from .factories import EXE_BYTES, TenantFactory, png, upload

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PROGRESS = "/tenants/fire-safety/"
INSPECTIONS = "/tenants/fire-safety/inspections/"
LETTERS = "/tenants/fire-safety/rectifications/"
OUTSIDERS = ["rep", "buyer", "engineer"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def shops(desk):
    return [
        TenantFactory(actor=desk, unit="1F-01", floor="1F"),
        TenantFactory(actor=desk, unit="1F-02", floor="1F"),
        TenantFactory(actor=desk, unit="2F-01", floor="2F"),
    ]


@pytest.fixture
def inspection(desk, shops):
    issue_monthly_notice(month=datetime(2026, 10, 1).date(), actor=desk)
    return FireInspection.objects.get()


@pytest.fixture
def letter(desk, inspection, shops):
    record_result(
        actor=desk, inspection=inspection, tenant=shops[0], items=["extinguishers"], passed=False, findings="通道堵塞"
    )
    return Rectification.objects.get()


def result_url(inspection, tenant):
    return reverse("tenants:fire_result", args=[inspection.pk, tenant.pk])


def test_progress_by_floor_is_computed(client_for, desk, inspection, shops, letter):
    """TEN-07: units checked / passed / failed / not yet, per floor and in total."""
    record_result(actor=desk, inspection=inspection, tenant=shops[2], items=check_item_codes(), passed=True)
    page = client_for(desk).get(PROGRESS)
    assert page.status_code == 200
    floors = {
        f.floor: (f.total, f.checked, f.passed, f.failed, f.not_yet, f.open_letters) for f in page.context["floors"]
    }
    assert floors == {"1F": (2, 1, 0, 1, 1, 1), "2F": (1, 1, 1, 0, 0, 0)}
    total = page.context["total"]
    assert (total.total, total.checked, total.passed, total.failed, total.not_yet) == (3, 2, 1, 1, 1)
    assert client_for(desk).get(PROGRESS, {"floor": "2F"}).context["shown"][0].floor == "2F"


def test_before_the_notice_the_desk_can_issue_it_from_the_page(client_for, desk, shops):
    """TEN-07, JOB-08: the page says the notice is not out; issuing twice makes one per tenant."""
    client = client_for(desk)
    assert b'id="notice-not-issued"' in client.get(PROGRESS).content
    for _ in range(2):
        assert client.post(reverse("tenants:fire_issue_notice")).status_code == 302
    assert FireInspectionNotice.objects.count() == 3
    assert b'id="floor-progress"' in client.get(PROGRESS).content


def test_a_failed_unit_from_the_phone_form_gets_a_letter(client_for, safety_staff, inspection, shops):
    """TEN-07: the safety department records a failure with a photo; the letter has the findings
    and the deadline (9 October + 5 working days, Saturday 10 October being a make-up day)."""
    client = client_for(safety_staff)
    url = result_url(inspection, shops[1])
    form = client.get(url)
    assert form.status_code == 200 and b'id="result-form"' in form.content
    response = client.post(
        url, {"items": ["extinguishers", "wiring"], "outcome": "fail", "findings": "插线板超负荷", "photos": [png()]}
    )
    assert response.status_code == 302
    result = InspectionResult.objects.get()
    assert result.items_checked == ["extinguishers", "wiring"] and result.photos.count() == 1
    letter = Rectification.objects.get()
    assert letter.findings == "插线板超负荷" and str(letter.due_on) == "2026-10-15"
    photo = client.get(reverse("tenants:fire_photo_file", args=[result.photos.get().pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"items": ["extinguishers"], "outcome": "fail", "findings": ""}, "findings"),
        ({"items": ["bogus"], "outcome": "fail", "findings": "x"}, "items"),
        ({"items": ["wiring"], "findings": "x"}, "outcome"),
        ({"items": ["wiring"], "outcome": "pass"}, "items"),
        ({"items": ["wiring"], "outcome": "maybe", "findings": "x"}, "outcome"),
    ],
)
def test_bad_result_input_is_a_form_error_and_writes_nothing(client_for, desk, inspection, shops, data, field):
    """TEN-07: never a 500; nothing is written."""
    response = client_for(desk).post(result_url(inspection, shops[0]), data)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert not InspectionResult.objects.exists() and not Rectification.objects.exists()


def test_a_program_as_a_photo_is_refused(client_for, desk, inspection, shops):
    """TEN-07: photos are read from their content."""
    data = {"items": ["wiring"], "outcome": "fail", "findings": "x", "photos": [upload("a.jpg", EXE_BYTES)]}
    response = client_for(desk).post(result_url(inspection, shops[0]), data)
    assert response.status_code == 400 and response.context["form"].errors.get("photos")
    assert not InspectionResult.objects.exists()


def test_a_second_result_is_refused_on_the_page(client_for, desk, inspection, shops, letter):
    """TEN-07: one result per tenant and inspection."""
    response = client_for(desk).post(result_url(inspection, shops[0]), {"items": check_item_codes(), "outcome": "pass"})
    assert response.status_code == 400 and b"already recorded" in response.content
    assert InspectionResult.objects.count() == 1


def test_the_letter_prints_and_its_reinspection_closes_it(client_for, desk, letter):
    """TEN-07: the printable 整改函 (tenant, unit, findings, deadline); a failing re-check keeps
    it open, a passing one closes it; then no form is offered."""
    client = client_for(desk)
    url = reverse("tenants:fire_rectification_detail", args=[letter.pk])
    page = client.get(url)
    assert page.status_code == 200
    for text in (letter.tenant.shop_name, "1F-01", "通道堵塞", "2026-10-15"):
        assert text.encode() in page.content
    reinspect_url = reverse("tenants:fire_reinspect", args=[letter.pk])
    assert client.post(reinspect_url, {"outcome": "fail", "findings": ""}).status_code == 400
    assert client.post(reinspect_url, {"outcome": "fail", "findings": "仍有杂物"}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == "open" and letter.findings == "仍有杂物"
    assert client.post(reinspect_url, {"outcome": "pass"}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == "rectified" and letter.rectified_by == desk
    assert client.get(url).context["form"] is None
    again = client.post(reinspect_url, {"outcome": "pass"})
    assert again.status_code == 400 and b"already closed" in again.content


def test_the_letter_list_filters_sorts_and_exports(client_for, desk, inspection, shops, letter):
    """TEN-07, DSH-03: status, floor and overdue filters, sorting, Excel export, empty state."""
    client = client_for(desk)
    assert [r.pk for r in client.get(LETTERS, {"status": "open", "floor": "1f"}).context["object_list"]] == [letter.pk]
    assert not client.get(LETTERS, {"floor": "2F"}).context["object_list"]
    assert b'id="empty-state"' in client.get(LETTERS, {"status": "rectified"}).content
    assert not client.get(LETTERS, {"overdue": "true"}).context["object_list"]
    with time_machine.travel(datetime(2026, 10, 16, 10, 0, tzinfo=SHANGHAI), tick=False):
        assert [r.pk for r in client.get(LETTERS, {"overdue": "true"}).context["object_list"]] == [letter.pk]
    assert client.get(LETTERS, {"sort": "-unit"}).status_code == 200
    assert [r.pk for r in client.get(LETTERS, {"month": "2026-10"}).context["object_list"]] == [letter.pk]
    assert not client.get(LETTERS, {"month": "2026-09"}).context["object_list"]
    for junk in ({"month": "soon"}, {"overdue": "maybe"}, {"sort": "nope"}, {"page": "999"}, {"status": "lost"}):
        assert client.get(LETTERS, junk).status_code in (200, 404), junk
    assert client.get(INSPECTIONS, {"year": "abc"}).status_code == 200
    export = client.get(LETTERS, {"status": "open", "export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    inspections = client.get(INSPECTIONS)
    row = inspections.context["object_list"][0]
    assert (row.notice_count, row.checked_count, row.failed_count, row.open_count) == (3, 1, 1, 1)
    assert client.get(INSPECTIONS, {"export": "xlsx"}).status_code == 200
    assert b'id="empty-state"' in client.get(INSPECTIONS, {"year": "2020"}).content


def test_management_reads_and_writes_nothing(client_for, gm, inspection, shops, letter):
    """TEN-07, ORG-02: management sees every page, without a form; its writes are 403."""
    client = client_for(gm)
    for url in (PROGRESS, INSPECTIONS, LETTERS, reverse("tenants:fire_rectification_detail", args=[letter.pk])):
        assert client.get(url).status_code == 200
    assert client.get(result_url(inspection, shops[1])).context["form"] is None
    assert (
        client.post(result_url(inspection, shops[1]), {"items": check_item_codes(), "outcome": "pass"}).status_code
        == 403
    )
    assert client.post(reverse("tenants:fire_reinspect", args=[letter.pk]), {"outcome": "pass"}).status_code == 403
    assert client.post(reverse("tenants:fire_issue_notice")).status_code == 403
    assert InspectionResult.objects.count() == 1 and Rectification.objects.get().status == "open"
    assert len(client.get("/api/v1/rectifications/").json()["results"]) == 1


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_403_on_lists_and_404_on_records_and_api_objects(
    client_for, request, who, inspection, shops, letter
):
    """TEN-07, ORG-02: a sales rep, procurement and engineering see nothing of it."""
    client = client_for(request.getfixturevalue(who))
    for url in (PROGRESS, INSPECTIONS, LETTERS):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("tenants:fire_issue_notice")).status_code == 403
    photo = record_result(
        actor=request.getfixturevalue("desk"), inspection=inspection, tenant=shops[2], items=["wiring"],
        passed=False, findings="x", photos=[png()],
    ).photos.get()  # fmt: skip
    for url in (
        reverse("tenants:fire_inspection_detail", args=[inspection.pk]),
        result_url(inspection, shops[1]),
        reverse("tenants:fire_rectification_detail", args=[letter.pk]),
        reverse("tenants:fire_photo_file", args=[photo.pk]),
        f"/api/v1/fire-inspections/{inspection.pk}/",
        f"/api/v1/rectifications/{letter.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    posted = client.post(result_url(inspection, shops[1]), {"items": check_item_codes(), "outcome": "pass"})
    assert posted.status_code == 404
    assert client.post(reverse("tenants:fire_reinspect", args=[letter.pk]), {"outcome": "pass"}).status_code == 404
    for url in ("/api/v1/fire-inspections/", "/api/v1/rectifications/"):
        response = client.get(url)
        assert response.status_code == 200 and response.json()["results"] == []
    assert Rectification.objects.get(pk=letter.pk).status == "open"


def test_the_api_names_are_the_contract(client_for, desk, inspection, shops, letter):
    """TEN-07: /api/v1/fire-inspections/ and /api/v1/rectifications/, read-only."""
    client = client_for(desk)
    inspections = client.get("/api/v1/fire-inspections/").json()["results"]
    assert inspections == [
        {
            "id": inspection.pk,
            "month": "2026-10-01",
            "results": [{"unit": "1F-01", "passed": False, "findings": "通道堵塞"}],
        }
    ]
    letters = client.get("/api/v1/rectifications/", {"status": "open"}).json()["results"]
    assert letters == [
        {"id": letter.pk, "tenant": shops[0].pk, "findings": "通道堵塞", "due_on": "2026-10-15", "status": "open"}
    ]
    assert client.post("/api/v1/rectifications/", {}, content_type="application/json").status_code == 405


def _letters(desk, inspection, tenants):
    for tenant in tenants:
        record_result(actor=desk, inspection=inspection, tenant=tenant, items=["wiring"], passed=False, findings="x")


def test_list_queries_do_not_grow_with_the_rows(client_for, desk, django_assert_max_num_queries):
    """DSH-03: the letters, the inspections and the progress page, with 1 row and with 25."""
    client = client_for(desk)
    first = [TenantFactory(actor=desk, floor="3F")]
    issue_monthly_notice(month=datetime(2026, 10, 1).date(), actor=desk)
    inspection = FireInspection.objects.get()
    _letters(desk, inspection, first)

    def counts():
        found = []
        for url in (LETTERS, INSPECTIONS, PROGRESS):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    more = [TenantFactory(actor=desk, floor=f"{4 + n % 3}F") for n in range(24)]
    issue_monthly_notice(month=datetime(2026, 10, 1).date(), actor=desk)
    _letters(desk, inspection, more)
    assert counts() == few
    with django_assert_max_num_queries(few[0]):
        client.get(LETTERS)


def test_a_tenant_who_moved_in_after_the_notice_can_be_notified(client_for, desk, inspection, shops):
    """TEN-07, JOB-09: the page offers to notify the newcomers; only they get a notice."""
    newcomer = TenantFactory(actor=desk, unit="3F-01", floor="3F")
    client = client_for(desk)
    page = client.get(PROGRESS)
    assert page.context["unnoticed"] == 1 and b'id="notify-new-tenants"' in page.content
    assert client.post(reverse("tenants:fire_issue_notice")).status_code == 302
    assert FireInspectionNotice.objects.count() == 4
    assert FireInspectionNotice.objects.filter(tenant=newcomer).exists()
    assert client.get(PROGRESS).context["unnoticed"] == 0
    assert client.get(result_url(inspection, newcomer)).status_code == 200


def test_open_letters_are_on_my_work_for_the_fire_team(client_for, desk, safety_staff, rep, letter):
    """TEN-07, DSH-02: the fire team sees its open letters on "My work"; a sales rep does not."""
    for person in (desk, safety_staff):
        page = client_for(person).get(reverse("core:my_work"))
        assert b'id="rectifications-open"' in page.content
    assert b'id="rectifications-open"' not in client_for(rep).get(reverse("core:my_work")).content
