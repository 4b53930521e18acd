"""TEN-01 … TEN-04, TEN-09, ORG-02: the tenant desk API with the names of issue 11 §9."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from tenants.models import Recording, Status, StorageItem, TenantRequest

from .factories import EXE_BYTES, RequestFactory, mp3, upload

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_a_request_is_logged_and_read_with_the_contract_names(desk, tenant, engineering):
    """TEN-02, TEN-03: the fields and values of the contract, times in +08:00."""
    with time_machine.travel(datetime(2026, 3, 16, 23, 50, tzinfo=SHANGHAI), tick=False):
        response = api(desk).post(
            "/api/v1/tenant-requests/",
            {"tenant": tenant.pk, "category": "emergency", "description": "漏水", "channel": "hotline"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "reference", "tenant", "channel", "category", "description", "department", "status"} <= set(body)
    assert body["tenant"] == tenant.pk and body["department"] == "engineering" and body["status"] == "assigned"
    assert body["response_due_at"] == "2026-03-17T00:05:00+08:00"
    assert body["resolve_due_at"] == "2026-03-17T03:50:00+08:00"
    assert body["responded_at"] is None and body["breached"] is False and body["complaint"] is None
    tenants = api(desk).get("/api/v1/tenants/").json()["results"]
    assert tenants[0]["contacts"][0]["name"] and {"shop_name", "unit", "floor", "lease_end"} <= set(tenants[0])


def test_the_steps_through_the_api_and_a_refusal_changes_nothing(desk, tenant, engineer, engineering):
    """TEN-02: respond, resolve, confirm false reopens; a refused step is 400; management 403."""
    request = RequestFactory(actor=desk, tenant=tenant)
    base = f"/api/v1/tenant-requests/{request.pk}"
    refused = api(desk).post(f"{base}/confirm/", {"satisfied": True}, format="json")
    assert refused.status_code == 400 and TenantRequest.objects.get(pk=request.pk).status == Status.ASSIGNED
    assert api(engineer).post(f"{base}/respond/", {"note": "马上到"}, format="json").status_code == 200
    assert api(engineer).post(f"{base}/resolve/", {"resolution": "修好"}, format="json").json()["status"] == "resolved"
    reopened = api(desk).post(f"{base}/confirm/", {"satisfied": False, "note": "还坏"}, format="json").json()
    assert reopened["status"] == "responded" and reopened["reopen_count"] == 1


def test_management_reads_but_may_not_act(desk, tenant, gm, engineering):
    """ORG-02: management read-only — the desk's steps answer 403 and change nothing."""
    request = RequestFactory(actor=desk, tenant=tenant)
    assert api(gm).get(f"/api/v1/tenant-requests/{request.pk}/").status_code == 200
    answer = api(gm).post(f"/api/v1/tenant-requests/{request.pk}/resolve/", {"resolution": "x"}, format="json")
    assert answer.status_code == 403
    assert TenantRequest.objects.get(pk=request.pk).status == Status.ASSIGNED


def test_outsiders_see_nothing(desk, tenant, rep, buyer):
    """ORG-02, TEN-01: a sales rep and a supplier-side user: empty lists, 404 on a record."""
    request = RequestFactory(actor=desk, tenant=tenant)
    for outsider in (rep, buyer):
        client = api(outsider)
        for path in ("tenants", "tenant-requests", "recordings", "storage-items"):
            assert client.get(f"/api/v1/{path}/").json()["results"] == []
        assert client.get(f"/api/v1/tenant-requests/{request.pk}/").status_code == 404
        assert (
            client.post("/api/v1/storage-items/", {"tenant": tenant.pk, "item": "x", "location": "y"}).status_code
            == 403
        )


def test_recordings_are_checked_by_content_and_archived_with_a_reason(desk, tenant):
    """TEN-04: a real MP3 is taken, an exe renamed .mp3 is refused (400, nothing stored)."""
    request = RequestFactory(actor=desk, tenant=tenant)
    client = api(desk)
    bad = client.post("/api/v1/recordings/", {"request": request.pk, "file": upload("call.mp3", EXE_BYTES)})
    assert bad.status_code == 400 and not Recording.objects.exists()
    good = client.post("/api/v1/recordings/", {"request": request.pk, "file": mp3()})
    assert good.status_code == 201, good.json()
    pk = good.json()["id"]
    assert client.post(f"/api/v1/recordings/{pk}/archive/", {"reason": ""}, format="json").status_code == 400
    kept = client.post(f"/api/v1/recordings/{pk}/archive/", {"reason": "紧急事件超时"}, format="json")
    assert kept.status_code == 200 and kept.json()["archived_at"]


def test_storage_items_open_filter_and_a_single_pick_up(desk, tenant):
    """TEN-09: ?open=true lists only what is not picked up; a second pick-up is 400."""
    client = api(desk)
    created = client.post("/api/v1/storage-items/", {"tenant": tenant.pk, "item": "快递", "location": "A柜"})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert [row["id"] for row in client.get("/api/v1/storage-items/?open=true").json()["results"]] == [pk]
    assert client.post(f"/api/v1/storage-items/{pk}/pick-up/", {"picked_up_by": "王"}).status_code == 200
    assert client.post(f"/api/v1/storage-items/{pk}/pick-up/", {"picked_up_by": "李"}).status_code == 400
    assert StorageItem.objects.get(pk=pk).picked_up_by == "王"
    assert client.get("/api/v1/storage-items/?open=true").json()["results"] == []
