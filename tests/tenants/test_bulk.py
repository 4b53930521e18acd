"""TEN-08, JOB-09, ORG-02: bulk notices to tenants — typhoon and rainstorm reminders, holiday
greetings — e-mailed to each tenant's main contact once, whatever the job's runs; the pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from crm_project.core.errors import DomainError, PermissionDenied
from tenants import tasks_visits as tasks
from tenants.models import BulkNotice, BulkNoticeDelivery
from tenants.services.bulk import NO_CONTACT, NO_EMAIL, bulk_notice_send
from tenants.services.tenants import tenant_move_out

from .factories import TenantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 8, 10, 12, 0, tzinfo=SHANGHAI)
LIST = "/tenants/bulk-notices/"
NEW = "/tenants/bulk-notices/new/"


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOON, tick=False):
        yield


def _shop(desk, number, *, floor="1F", business="餐饮", email=True, contacts=None):
    if contacts is None:
        contacts = [
            {"name": f"副店长{number}", "phone": "13900000000", "email": f"deputy{number}@shop.test"},
            {"name": f"店长{number}", "email": f"boss{number}@shop.test" if email else "", "is_primary": True},
        ]
    return TenantFactory(
        actor=desk, unit=f"{floor}-{number:03d}", floor=floor, business_type=business, contacts=contacts
    )


@pytest.fixture
def shops(desk):
    return {
        "a": _shop(desk, 1),
        "b": _shop(desk, 2, business="服装"),
        "c": _shop(desk, 3, floor="2F"),
        "no_email": _shop(desk, 4, email=False),
        "no_contact": _shop(desk, 5, contacts=[]),
    }


def _typhoon(actor, **values):
    return bulk_notice_send(
        actor=actor,
        kind=values.pop("kind", "typhoon"),
        title=values.pop("title", "台风“海葵”防御提醒"),
        message=values.pop("message", "请各租户今晚关好门窗，收好外摆物品。"),
        **values,
    )


def test_the_job_run_twice_e_mails_each_tenant_once(desk, shops, django_capture_on_commit_callbacks):
    """TEN-08, JOB-09: one delivery row per tenant, the main contact e-mailed once; a tenant
    without an e-mail address or contact is recorded and skipped; a second run sends nothing."""
    gone = _shop(desk, 6)
    tenant_move_out(actor=desk, tenant=gone)
    with django_capture_on_commit_callbacks(execute=True):
        notice = _typhoon(desk)
    assert tasks.send_bulk_notice(notice.pk) == 0
    assert tasks.send_pending_bulk_notices() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["boss1@shop.test", "boss2@shop.test", "boss3@shop.test"]
    assert all(m.subject == "台风“海葵”防御提醒" and "关好门窗" in m.body for m in mail.outbox)
    rows = {d.tenant_id: d for d in BulkNoticeDelivery.objects.filter(notice=notice)}
    assert set(rows) == {t.pk for t in shops.values()}
    assert rows[shops["a"].pk].delivered_at == NOON and rows[shops["a"].pk].contact_name == "店长1"
    assert rows[shops["no_email"].pk].failed_reason == NO_EMAIL and rows[shops["no_email"].pk].delivered_at is None
    assert rows[shops["no_contact"].pk].failed_reason == NO_CONTACT


def test_the_audience_is_filtered_by_floor_and_business_type(desk, shops, django_capture_on_commit_callbacks):
    """TEN-08: floor and/or business type; no tenant matching is refused and writes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        first_floor_food = _typhoon(desk, kind="rainstorm", floor="1F", business_type="餐饮")
        second_floor = _typhoon(desk, kind="holiday", floor="2F")
    assert set(first_floor_food.deliveries.values_list("tenant_id", flat=True)) == {
        shops["a"].pk, shops["no_email"].pk, shops["no_contact"].pk,
    }  # fmt: skip
    assert list(second_floor.deliveries.values_list("tenant_id", flat=True)) == [shops["c"].pk]
    assert len(mail.outbox) == 2
    with pytest.raises(DomainError):
        _typhoon(desk, floor="9F")
    assert BulkNotice.objects.count() == 2


def test_a_notice_whose_job_was_not_queued_is_sent_by_the_sweep_once(desk, shops):
    """JOB-09: the broker down at commit (the on-commit job never ran): the sweep sends, once."""
    notice = _typhoon(desk)
    assert len(mail.outbox) == 0
    assert tasks.send_pending_bulk_notices() == 3
    assert tasks.send_pending_bulk_notices() == 0
    assert tasks.send_bulk_notice(notice.pk) == 0
    assert len(mail.outbox) == 3
    assert BulkNoticeDelivery.objects.filter(notice=notice, delivered_at__isnull=False).count() == 3


def test_a_failed_e_mail_is_retried_without_sending_twice(desk, shops, monkeypatch):
    """JOB-09: the mail server fails on the second tenant: the first stays delivered, the retry
    sends only the rest."""
    from tenants.services import bulk

    notice = _typhoon(desk)
    real = bulk.send_mail
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["recipient_list"][0])
        if len(calls) == 2:
            raise ConnectionError("SMTP down")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "send_mail", flaky)
    with pytest.raises(ConnectionError):
        bulk.bulk_notice_deliver(notice_id=notice.pk)
    assert len(mail.outbox) == 1
    assert bulk.bulk_notice_deliver(notice_id=notice.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["boss1@shop.test", "boss2@shop.test", "boss3@shop.test"]


def test_bad_input_and_the_wrong_people_write_nothing(desk, gm, rep, shops):
    """TEN-08, ORG-02: kind, title and message required; management and outsiders cannot send."""
    for values, field in (
        ({"kind": "tsunami"}, "kind"),
        ({"title": " "}, "title"),
        ({"message": ""}, "message"),
        ({"title": "x" * 201}, "title"),
    ):
        with pytest.raises(DomainError) as error:
            _typhoon(desk, **values)
        assert error.value.field == field
    for person in (gm, rep):
        with pytest.raises(PermissionDenied):
            _typhoon(person)
    assert not BulkNotice.objects.exists() and not BulkNoticeDelivery.objects.exists()


def test_the_form_previews_the_audience_and_sends(client_for, desk, shops, django_capture_on_commit_callbacks):
    """TEN-08: the preview counts the audience and writes nothing; sending leads to the notice's
    page with the delivery to each tenant."""
    client = client_for(desk)
    page = client.get(NEW)
    assert page.status_code == 200 and page.context["preview"]["count"] == 5
    preview = client.post(NEW, {"preview": "1", "floor": "1F", "business_type": "服装"})
    assert preview.status_code == 200 and preview.context["preview"]["count"] == 1
    assert client.get(NEW, {"floor": "2F"}).context["preview"]["count"] == 1
    assert not BulkNotice.objects.exists()
    data = {"kind": "typhoon", "title": "台风预警", "message": "请做好防风准备", "floor": "1F", "business_type": ""}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(NEW, {**data, "send": "1"})
    notice = BulkNotice.objects.get()
    assert sent.status_code == 302 and sent.url == reverse("tenants:bulk_notice_detail", args=[notice.pk])
    assert notice.sent_by == desk and notice.floor == "1F" and len(mail.outbox) == 2
    detail = client.get(sent.url)
    content = detail.content.decode()
    assert detail.status_code == 200 and content.count("data-delivery=") == 4
    assert "the main contact has no e-mail address" in content and "no contact on file" in content
    listing = client.get(LIST)
    assert [n.pk for n in listing.context["object_list"]] == [notice.pk]
    assert listing.context["object_list"][0].delivered_count == 2
    assert client.get(LIST, {"kind": "holiday"}).context["object_list"].count() == 0
    assert client.get(LIST, {"export": "xlsx"}).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "typhoon", "title": "", "message": "m"},
        {"kind": "flood", "title": "t", "message": "m"},
        {"kind": "typhoon", "title": "t", "message": ""},
        {"kind": "typhoon", "title": "t", "message": "m", "floor": "9F"},
        {"kind": "typhoon", "title": "t" * 300, "message": "m"},
    ],
)
def test_a_bad_form_is_400_and_writes_nothing(client_for, desk, shops, data):
    """TEN-08: a form error, never a 500, and nothing sent."""
    response = client_for(desk).post(NEW, {**data, "send": "1"})
    assert response.status_code == 400 and response.context["form"].errors
    assert not BulkNotice.objects.exists() and len(mail.outbox) == 0


def test_management_reads_and_cannot_send(client_for, desk, gm, shops):
    """TEN-08, ORG-02: management sees the notices and their deliveries, and sends nothing."""
    notice = _typhoon(desk)
    client = client_for(gm)
    page = client.get(LIST)
    assert page.status_code == 200 and b'id="new-notice"' not in page.content
    assert client.get(reverse("tenants:bulk_notice_detail", args=[notice.pk])).status_code == 200
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"kind": "typhoon", "title": "t", "message": "m", "send": "1"}).status_code == 403
    assert BulkNotice.objects.count() == 1


@pytest.mark.parametrize("who", ["rep", "buyer", "engineer"])
def test_outsiders_get_403_on_the_pages_and_404_on_a_notice(client_for, request, desk, shops, who):
    """TEN-08, ORG-02: a sales rep, procurement, Engineering see no notice."""
    notice = _typhoon(desk)
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, {"export": "xlsx"}).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"kind": "typhoon", "title": "t", "message": "m", "send": "1"}).status_code == 403
    assert client.get(reverse("tenants:bulk_notice_detail", args=[notice.pk])).status_code == 404
    assert BulkNotice.objects.count() == 1


def test_the_list_and_the_detail_run_constant_queries(client_for, desk, django_assert_max_num_queries):
    """DSH-03: the list with 1 and 6 notices, a notice with 2 and 12 tenants: the same queries."""
    client = client_for(desk)
    for number in range(2):
        _shop(desk, number + 1)
    notice = _typhoon(desk)
    detail = reverse("tenants:bulk_notice_detail", args=[notice.pk])
    with django_assert_max_num_queries(20) as list_few:
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(20) as detail_few:
        assert client.get(detail).status_code == 200
    for number in range(10):
        _shop(desk, number + 10)
    big = _typhoon(desk)
    for _ in range(4):
        _typhoon(desk)
    with django_assert_max_num_queries(len(list_few.captured_queries)):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(detail_few.captured_queries)):
        assert client.get(reverse("tenants:bulk_notice_detail", args=[big.pk])).status_code == 200
