"""TEN-09, TEN-04, ORG-02: the storage log and the recording archive pages."""

import pytest
from django.urls import reverse

from tenants.models import StorageItem
from tenants.services.recordings import recording_archive, recording_upload
from tenants.services.storage import storage_receive

from .factories import RequestFactory, mp3

pytestmark = pytest.mark.django_db
STORAGE = "/tenants/storage/"


def test_desk_receives_and_hands_out_once(client_for, desk, tenant):
    client = client_for(desk)
    assert client.get(STORAGE).status_code == 200
    response = client.post(
        reverse("tenants:storage_receive"),
        {"receive-tenant": tenant.pk, "receive-item": "快递两箱", "receive-location": "服务台柜1"},
    )
    assert response.status_code == 302
    item = StorageItem.objects.get()
    assert [i.pk for i in client.get(STORAGE).context["items"]] == [item.pk]
    url = reverse("tenants:storage_pick_up", args=[item.pk])
    assert client.post(url, {f"pick{item.pk}-picked_up_by": "王店长"}).status_code == 302
    again = client.post(url, {f"pick{item.pk}-picked_up_by": "李四"})
    assert again.status_code == 400 and b"already picked up" in again.content
    item.refresh_from_db()
    assert item.picked_up_by == "王店长"
    picked = client.get(STORAGE, {"tab": "picked"})
    assert [i.pk for i in picked.context["items"]] == [item.pk]
    export = client.get(STORAGE, {"tab": "picked", "export": "xlsx"})
    assert export.status_code == 200


def test_bad_receive_is_400_and_writes_nothing(client_for, desk, tenant):
    response = client_for(desk).post(reverse("tenants:storage_receive"), {"receive-tenant": tenant.pk})
    assert response.status_code == 400
    assert not StorageItem.objects.exists()


def test_gm_reads_and_cannot_act(client_for, desk, gm, tenant):
    item = storage_receive(actor=desk, tenant=tenant, item="伞", location="柜2")
    client = client_for(gm)
    page = client.get(STORAGE)
    assert page.status_code == 200 and b'id="receive-form"' not in page.content
    url = reverse("tenants:storage_pick_up", args=[item.pk])
    assert client.post(url, {f"pick{item.pk}-picked_up_by": "x"}).status_code == 403
    assert client.get(reverse("tenants:recording_archive")).status_code == 200


@pytest.mark.parametrize("who", ["rep", "buyer", "engineer"])
def test_others_get_403(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(STORAGE).status_code == 403
    assert client.get(reverse("tenants:recording_archive")).status_code == 403


def test_recording_archive_lists_kept_recordings_with_a_player(client_for, desk, tenant):
    tenant_request = RequestFactory(actor=desk, tenant=tenant)
    recording = recording_upload(actor=desk, request=tenant_request, file=mp3())
    recording_archive(actor=desk, recording=recording, reason="重大事件")
    client = client_for(desk)
    page = client.get(reverse("tenants:recording_archive"))
    assert page.status_code == 200
    assert b"<audio controls" in page.content and "重大事件" in page.content.decode()
    assert client.get(reverse("tenants:recording_archive"), {"tab": "purges"}).status_code == 200
    assert client.get(reverse("tenants:recording_archive"), {"export": "xlsx"}).status_code == 200
