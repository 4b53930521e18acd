"""TEN-06, ORG-02: /api/v1/notices/ — the contract names, the steps as POST actions (out of
order → 400, wrong person → 403, nothing changed), paper receipts, and outsiders."""

import pytest
from rest_framework.test import APIClient

from tenants.models import Notice, NoticeAddressee

from .factories import EXE_BYTES, PDF_BYTES, upload
from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import draft, walk

pytestmark = pytest.mark.django_db
BASE = "/api/v1/notices/"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_it_reads_with_the_contract_fields(desk, gm, engineer, engineering, notice_tenants):
    """TEN-06: id, title, status, addressees, signed, unsigned (tenant ids)."""
    notice = draft(desk, engineering, notice_tenants)
    ids = sorted(t.pk for t in notice_tenants)
    for person in (desk, gm, engineer):
        body = api(person).get(BASE).json()
        assert body["results"] == [
            {"id": notice.pk, "title": notice.title, "status": "draft", "addressees": ids, "signed": [],
             "unsigned": ids}
        ]  # fmt: skip
    assert api(desk).get(f"{BASE}{notice.pk}/").json()["status"] == "draft"
    assert api(desk).get(BASE, {"status": "sealed"}).json()["results"] == []
    assert api(desk).get(BASE, {"status": "bogus"}).status_code == 400


def test_the_steps_in_order_then_a_paper_receipt(desk, gm, engineer, engineering, notice_tenants):
    """TEN-06: approve → approve-seal → seal → deliver → receipts, each by whoever may."""
    notice = draft(desk, engineering, notice_tenants)
    for person, step, status in (
        (engineer, "approve", "approved"),
        (gm, "approve-seal", "seal_approved"),
        (desk, "seal", "sealed"),
        (desk, "deliver", "delivered"),
    ):
        response = api(person).post(f"{BASE}{notice.pk}/{step}/")
        assert response.status_code == 200, (step, response.content)
        assert response.json()["status"] == status
    tenant = notice_tenants[1]
    response = api(desk).post(
        f"{BASE}{notice.pk}/receipts/",
        {"tenant": tenant.pk, "method": "paper", "scan": upload("r.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["signed"] == [tenant.pk]
    assert tenant.pk not in response.json()["unsigned"]


def test_a_step_out_of_order_is_400_and_changes_nothing(desk, gm, engineer, engineering, notice_tenants):
    """TEN-06: 400 for the wrong order, 403 for the wrong person; the notice is unchanged."""
    notice = draft(desk, engineering, notice_tenants)
    for step in ("approve-seal", "seal", "deliver"):
        person = gm if step == "approve-seal" else desk
        response = api(person).post(f"{BASE}{notice.pk}/{step}/")
        assert response.status_code == 400, step
    receipt = api(desk).post(f"{BASE}{notice.pk}/receipts/",
                             {"tenant": notice_tenants[0].pk, "method": "paper", "scan": upload("r.pdf", PDF_BYTES)},
                             format="multipart")  # fmt: skip
    assert receipt.status_code == 400
    for person in (desk, gm):
        assert api(person).post(f"{BASE}{notice.pk}/approve/").status_code == 403
    assert Notice.objects.get(pk=notice.pk).status == "draft"
    assert Notice.history.filter(id=notice.pk).count() == 1


def test_management_writes_only_the_seal_approval(desk, gm, engineer, engineering, notice_tenants):
    """TEN-06, ORG-02: management's only write is approve-seal."""
    notice = walk(draft(desk, engineering, notice_tenants), to="seal_approved", head=engineer, gm=gm, desk=desk)
    assert api(gm).post(f"{BASE}{notice.pk}/seal/").status_code == 403
    notice = walk(notice, to="delivered", head=engineer, gm=gm, desk=desk)
    response = api(gm).post(f"{BASE}{notice.pk}/receipts/",
                            {"tenant": notice_tenants[0].pk, "method": "paper", "scan": upload("r.pdf", PDF_BYTES)},
                            format="multipart")  # fmt: skip
    assert response.status_code == 403
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()


def test_a_bad_receipt_is_400_and_writes_nothing(desk, gm, engineer, engineering, notice_tenants):
    """TEN-06: a program as the scan, a link method, an unknown tenant: 400, nothing written."""
    notice = walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)
    url = f"{BASE}{notice.pk}/receipts/"
    tenant = notice_tenants[0].pk
    for body in (
        {"tenant": tenant, "method": "paper", "scan": upload("r.pdf", EXE_BYTES)},
        {"tenant": tenant, "method": "paper", "scan": upload("r.pdf", b"plain text")},
        {"tenant": tenant, "method": "link", "scan": upload("r.pdf", PDF_BYTES)},
        {"tenant": 999999, "method": "paper", "scan": upload("r.pdf", PDF_BYTES)},
        {"tenant": "x", "method": "paper"},
    ):
        response = api(desk).post(url, body, format="multipart")
        assert response.status_code == 400, body
    assert "scan" in api(desk).post(url, {"tenant": tenant, "method": "paper", "scan": upload("r.pdf", EXE_BYTES)},
                                    format="multipart").json()  # fmt: skip
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()


def test_the_department_sees_its_own_and_outsiders_nothing(
    desk, gm, engineer, engineering, safety_staff, rep, buyer, notice_tenants
):
    """ORG-02, TEN-06: the department concerned sees its notice; another department an empty
    list and 404; outsiders 403 on the list and 404 on the notice and every action."""
    notice = draft(desk, engineering, notice_tenants)
    assert api(safety_staff).get(BASE).json()["results"] == []
    assert api(safety_staff).get(f"{BASE}{notice.pk}/").status_code == 404
    for person in (rep, buyer):
        client = api(person)
        assert client.get(BASE).status_code == 403
        assert client.get(f"{BASE}{notice.pk}/").status_code == 404
        for step in ("approve", "approve-seal", "seal", "deliver", "receipts"):
            assert client.post(f"{BASE}{notice.pk}/{step}/").status_code == 404, step
    assert Notice.objects.get(pk=notice.pk).status == "draft"


def test_the_list_costs_the_same_with_1_or_20_notices(desk, engineering, notice_tenants, django_assert_max_num_queries):
    """TEN-06: constant query count on the API list."""
    draft(desk, engineering, notice_tenants)
    with django_assert_max_num_queries(20) as one:
        api(desk).get(BASE)
    for _ in range(19):
        draft(desk, engineering, notice_tenants)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api(desk).get(BASE).json()["results"]) == 20
