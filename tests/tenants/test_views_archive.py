"""TEN-01, ORG-02, ORG-03: the tenant archive pages."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tenants.models import Tenant

from .factories import RequestFactory, TenantFactory

pytestmark = pytest.mark.django_db
LIST = "/tenants/archive/"


def test_desk_sees_the_list_and_the_lease_flag(client_for, desk):
    """TEN-01: a lease ending within TENANT_LEASE_WARNING_DAYS is flagged."""
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        ending = TenantFactory(actor=desk, shop_name="星巴克", lease_end=date(2027, 1, 15))
        TenantFactory(actor=desk, shop_name="优衣库", lease_end=date(2028, 1, 15))
        response = client_for(desk).get(LIST)
        assert response.status_code == 200
        rows = {tenant.pk: tenant.lease_ending for tenant, _contact in response.context["rows"]}
        assert rows[ending.pk] is True and sum(rows.values()) == 1
        assert b"lease-ending" in response.content
        flagged = client_for(desk).get(LIST, {"lease_ending": "true"})
        assert [t.pk for t, _c in flagged.context["rows"]] == [ending.pk]


@pytest.mark.parametrize("term", ["星", "星巴"])
def test_chinese_search_with_short_terms(client_for, desk, term):
    """TEN-01: shop names found by 1 and 2 Chinese characters."""
    star = TenantFactory(actor=desk, shop_name="星巴克")
    TenantFactory(actor=desk, shop_name="优衣库")
    response = client_for(desk).get(LIST, {"q": term})
    assert [t.pk for t, _c in response.context["rows"]] == [star.pk]


def test_moved_out_tenants_hidden_by_default(client_for, desk):
    gone = TenantFactory(actor=desk)
    stays = TenantFactory(actor=desk)
    client = client_for(desk)
    client.post(reverse("tenants:tenant_move_out", args=[gone.pk]))
    assert [t.pk for t, _c in client.get(LIST).context["rows"]] == [stays.pk]
    assert [t.pk for t, _c in client.get(LIST, {"moved_out": "yes"}).context["rows"]] == [gone.pk]


@pytest.mark.parametrize("count", [2, 12])
def test_list_runs_a_constant_number_of_queries(client_for, desk, django_assert_max_num_queries, count):
    for _ in range(count):
        TenantFactory(actor=desk)
    client = client_for(desk)
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["rows"]) == count


def test_export_has_the_filtered_rows_with_the_main_contact(client_for, desk):
    TenantFactory(actor=desk, shop_name="星巴克")
    response = client_for(desk).get(LIST, {"q": "星", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_engineer_sees_only_tenants_of_engineering_requests(client_for, desk, engineer):
    """ORG-02: a department sees the tenants of its requests, and cannot edit them."""
    handled = TenantFactory(actor=desk)
    TenantFactory(actor=desk)
    RequestFactory(actor=desk, tenant=handled, category="repair")
    client = client_for(engineer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [t.pk for t, _c in response.context["rows"]] == [handled.pk]
    page = client.get(reverse("tenants:tenant_detail", args=[handled.pk]))
    assert page.status_code == 200 and b'id="edit-tenant"' not in page.content
    assert client.get(reverse("tenants:tenant_edit", args=[handled.pk])).status_code == 403


def test_gm_reads_everything_and_changes_nothing(client_for, desk, gm):
    tenant = TenantFactory(actor=desk)
    client = client_for(gm)
    assert client.get(LIST).status_code == 200
    page = client.get(reverse("tenants:tenant_detail", args=[tenant.pk]))
    assert page.status_code == 200
    assert b'id="edit-tenant"' not in page.content and b'id="move-out"' not in page.content
    assert client.post(reverse("tenants:tenant_move_out", args=[tenant.pk])).status_code == 403
    assert client.post(reverse("tenants:tenant_new"), {"shop_name": "x"}).status_code == 403
    tenant.refresh_from_db()
    assert tenant.moved_out_at is None


@pytest.mark.parametrize("who", ["rep", "buyer"])
def test_outsiders_see_nothing(client_for, desk, request, who):
    tenant = TenantFactory(actor=desk)
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("tenants:tenant_detail", args=[tenant.pk])).status_code == 404
    assert client.get(reverse("tenants:tenant_edit", args=[tenant.pk])).status_code == 404


def _form(**values):
    data = {
        "shop_name": "星巴克", "unit": "2F-201", "floor": "2F", "business_type": "餐饮",
        "lease_start": "2026-01-01", "lease_end": "2028-12-31", "notes": "",
        "contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "王店长", "contacts-0-phone": "13800001111", "contacts-0-is_primary": "on",
    }  # fmt: skip
    data.update(values)
    return data


def test_desk_creates_and_edits_a_tenant_with_contacts(client_for, desk):
    client = client_for(desk)
    assert client.get(reverse("tenants:tenant_new")).status_code == 200
    response = client.post(reverse("tenants:tenant_new"), _form())
    assert response.status_code == 302
    tenant = Tenant.objects.get(unit="2F-201")
    assert [c.name for c in tenant.contacts.all()] == ["王店长"]
    edit = reverse("tenants:tenant_edit", args=[tenant.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, _form(shop_name="星巴克臻选", **{"contacts-1-name": "李助理"}))
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.shop_name == "星巴克臻选" and tenant.contacts.count() == 2
    page = client.get(reverse("tenants:tenant_detail", args=[tenant.pk]))
    assert page.status_code == 200 and len(page.context["history"]) >= 2


@pytest.mark.parametrize(
    "bad", [{"shop_name": ""}, {"lease_end": "2025-01-01"}, {"unit": "1F-TAKEN"}, {"contacts-0-email": "x"}]
)
def test_bad_input_is_400_and_writes_nothing(client_for, desk, bad):
    TenantFactory(actor=desk, unit="1F-TAKEN")
    before = Tenant.objects.count()
    response = client_for(desk).post(reverse("tenants:tenant_new"), _form(**bad))
    assert response.status_code == 400
    assert Tenant.objects.count() == before


def test_complaint_page_shows_the_tenant_and_its_request(client_for, desk, tenant, administrator):
    """CMP-01: a tenant's complaint ticket names the tenant and links the desk's request."""
    tenant_request = RequestFactory(actor=desk, tenant=tenant, category="complaint", description="噪音扰民")
    complaint = tenant_request.complaint
    page = client_for(administrator).get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert page.status_code == 200
    assert tenant.shop_name in page.content.decode()
    assert reverse("tenants:request_detail", args=[tenant_request.pk]) in page.content.decode()
