"""TEN-02, ORG-02: the desk page and the phone-fast intake."""

import pytest
from django.urls import reverse

from tenants.models import TenantRequest
from tenants.services.tenants import tenant_move_out

from .factories import RequestFactory, TenantFactory

pytestmark = pytest.mark.django_db


def test_desk_lists_open_requests_for_the_desk(client, desk, tenant, engineer):
    """TEN-02, TEN-03: the open requests with their time left."""
    RequestFactory(actor=desk, tenant=tenant, category="emergency", description="漏水")
    client.force_login(desk)
    response = client.get(reverse("tenants:desk"))
    assert response.status_code == 200
    assert "漏水" in response.content.decode()
    assert reverse("tenants:request_new") in response.content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_desk_runs_constant_queries(client, desk, tenant, engineer, django_assert_max_num_queries, count):
    """TEN-02: the desk page does not query per row."""
    for _ in range(count):
        RequestFactory(actor=desk, tenant=tenant)
    client.force_login(desk)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("tenants:desk")).status_code == 200


@pytest.mark.parametrize("who", ["rep", "buyer"])
def test_outsiders_get_403_on_desk_and_404_on_detail(client, desk, tenant, engineer, request, who):
    """ORG-02: a sales rep and a supplier-side user see nothing."""
    logged = RequestFactory(actor=desk, tenant=tenant)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("tenants:desk")).status_code == 403
    assert client.get(reverse("tenants:request_detail", args=[logged.pk])).status_code == 404
    assert client.get(reverse("tenants:request_new")).status_code == 403


def test_desk_logs_a_request_and_lands_on_its_page(client, desk, tenant, engineer):
    """TEN-02: tenant, category, one text box."""
    client.force_login(desk)
    page = client.get(reverse("tenants:request_new"))
    assert f"{tenant.unit} {tenant.shop_name}" in page.content.decode()
    response = client.post(
        reverse("tenants:request_new"),
        {"tenant": tenant.pk, "category": "repair", "description": "灯坏了", "channel": "hotline"},
    )
    created = TenantRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("tenants:request_detail", args=[created.pk])
    assert client.get(response.url).status_code == 200


def test_bad_intake_is_400_and_writes_nothing(client, desk, tenant):
    """TEN-02: a source link on a hotline call is refused by the service."""
    client.force_login(desk)
    response = client.post(
        reverse("tenants:request_new"),
        {"tenant": tenant.pk, "category": "repair", "description": "x", "channel": "hotline",
         "source_url": "https://weibo.com/1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not TenantRequest.objects.exists()


def test_moved_out_tenants_are_not_offered(client, desk):
    """TEN-01: a tenant who moved out is not offered at intake."""
    tenant_move_out(actor=desk, tenant=TenantFactory(actor=desk, shop_name="已搬走"))
    client.force_login(desk)
    assert "已搬走" not in client.get(reverse("tenants:request_new")).content.decode()


def test_gm_sees_the_desk_without_the_log_button(client, desk, tenant, gm):
    """Management reads, does not act."""
    client.force_login(gm)
    response = client.get(reverse("tenants:desk"))
    assert response.status_code == 200
    assert reverse("tenants:request_new") not in response.content.decode()
    assert client.get(reverse("tenants:request_new")).status_code == 403


def test_respond_resolve_confirm_from_the_page(client, desk, tenant, engineer):
    """TEN-02: each step through its service; a refused step is 400 and changes nothing."""
    logged = RequestFactory(actor=desk, tenant=tenant)
    client.force_login(desk)
    step = lambda name, **data: client.post(reverse("tenants:request_step", args=[logged.pk, name]), data)  # noqa: E731
    assert step("confirm", satisfied="yes").status_code == 400
    assert step("respond", note="马上到").status_code == 302
    assert step("resolve", resolution="已修好").status_code == 302
    assert step("confirm", satisfied="yes").status_code == 302
    logged.refresh_from_db()
    assert logged.status == "confirmed"


def test_gm_may_not_act(client, desk, tenant, gm):
    """Management is read-only: a step is 403."""
    logged = RequestFactory(actor=desk, tenant=tenant)
    client.force_login(gm)
    assert client.post(reverse("tenants:request_step", args=[logged.pk, "respond"]), {"note": "x"}).status_code == 403


def test_gm_sees_no_buttons_engineer_sees_respond(client, desk, tenant, gm, engineer):
    """Buttons follow permissions.py."""
    logged = RequestFactory(actor=desk, tenant=tenant)
    client.force_login(gm)
    assert 'id="respond-form"' not in client.get(reverse("tenants:request_detail", args=[logged.pk])).content.decode()
    client.force_login(engineer)
    assert 'id="respond-form"' in client.get(reverse("tenants:request_detail", args=[logged.pk])).content.decode()


def test_assign_from_the_page(client, desk, tenant, engineering, safety_staff):
    """TEN-02: the desk assigns; an unknown department is 400."""
    logged = RequestFactory(actor=desk, tenant=tenant, category="inquiry")
    client.force_login(desk)
    url = reverse("tenants:request_step", args=[logged.pk, "assign"])
    assert client.post(url, {"department": "999999"}).status_code == 400
    assert client.post(url, {"department": safety_staff.department_id}).status_code == 302
    logged.refresh_from_db()
    assert logged.department_id == safety_staff.department_id
