"""TEN-08, ORG-02, JOB-09: /api/v1/tenant-visits/ and /api/v1/bulk-notices/ — the same services
as the pages; a refusal is 400 (403 for a role that may never), and writes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from tenants.models import BulkNotice, TenantVisit

from .factories import TenantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=SHANGHAI), tick=False):
        yield


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_the_plan_is_generated_once_and_a_visit_reported(desk, ops_manager):
    """TEN-08: generate twice → created n then 0; report → done; a second report is 400."""
    for _ in range(2):
        TenantFactory(actor=desk)
    client = api(desk)
    assert client.post("/api/v1/tenant-visits/generate/", {}, format="json").json() == {"created": 2}
    assert client.post("/api/v1/tenant-visits/generate/", {}, format="json").json() == {"created": 0}
    rows = client.get("/api/v1/tenant-visits/", {"status": "due"}).json()["results"]
    assert len(rows) == 2 and rows[0]["status"] == "due"
    url = f"/api/v1/tenant-visits/{rows[0]['id']}/report/"
    bad = client.post(url, {"report": "", "outcome": "satisfied"}, format="json")
    assert bad.status_code == 400 and "report" in bad.json()
    done = client.post(url, {"report": "沟通顺利", "outcome": "satisfied"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert client.post(url, {"report": "again", "outcome": "satisfied"}, format="json").status_code == 400
    assert client.post("/api/v1/tenant-visits/generate/", {"year": 2025}, format="json").status_code == 400


def test_a_notice_is_sent_through_the_api(desk, django_capture_on_commit_callbacks):
    """TEN-08, JOB-09: POST sends, the deliveries are in the answer; bad input is 400."""
    TenantFactory(actor=desk, contacts=[{"name": "王", "email": "w@shop.test", "is_primary": True}])
    TenantFactory(actor=desk, contacts=[{"name": "李", "phone": "1"}])
    client = api(desk)
    assert client.post("/api/v1/bulk-notices/", {"kind": "typhoon", "title": "", "message": "m"}).status_code == 400
    assert client.post("/api/v1/bulk-notices/", {"kind": "snow", "title": "t", "message": "m"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/api/v1/bulk-notices/", {"kind": "holiday", "title": "中秋快乐", "message": "祝节日快乐"})
    assert sent.status_code == 201
    assert sorted(d["failed_reason"] for d in sent.json()["deliveries"]) == ["", "no_email"]
    assert len(mail.outbox) == 1 and BulkNotice.objects.count() == 1


def test_management_reads_and_outsiders_see_nothing(desk, ops_manager, gm, rep, engineer):
    """ORG-02: management reads and is refused writes (403); others see empty lists and 404."""
    TenantFactory(actor=desk)
    api(desk).post("/api/v1/tenant-visits/generate/", {}, format="json")
    visit = TenantVisit.objects.get()
    assert len(api(gm).get("/api/v1/tenant-visits/").json()["results"]) == 1
    report = {"report": "x", "outcome": "satisfied"}
    assert api(gm).post(f"/api/v1/tenant-visits/{visit.pk}/report/", report, format="json").status_code == 403
    assert api(gm).post("/api/v1/bulk-notices/", {"kind": "other", "title": "t", "message": "m"}).status_code == 403
    for outsider in (rep, engineer):
        client = api(outsider)
        assert client.get("/api/v1/tenant-visits/").json()["results"] == []
        assert client.get(f"/api/v1/tenant-visits/{visit.pk}/").status_code == 404
        assert client.post(f"/api/v1/tenant-visits/{visit.pk}/report/", report, format="json").status_code == 404
        assert client.post("/api/v1/tenant-visits/generate/", {}, format="json").status_code == 403
        assert client.get("/api/v1/bulk-notices/").json()["results"] == []
    visit.refresh_from_db()
    assert visit.done_at is None and not BulkNotice.objects.exists()
