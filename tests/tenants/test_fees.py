"""TEN-10, ORG-02, DSH-03: the fee schedule — operations keeps it, management reads it, the
public page and API show tenants the items valid today with no login, in Chinese."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from crm_project.core.errors import DomainError, PermissionDenied
from tenants.models import FeeScheduleItem
from tenants.services.fees import fee_item_create, fee_item_update

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST = "/tenants/fees/"
PUBLIC = "/tenants/fees/public/"
API = "/api/v1/fee-schedule/"


@pytest.fixture(autouse=True)
def _june():
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def _fee(desk, **values):
    defaults = {
        "kind": "service", "name": "Property management fee", "name_zh": "物业管理费", "unit": "每平方米每月",
        "amount": Decimal("12.50"), "valid_from": date(2026, 1, 1), "valid_to": None, "notes": "",
    }  # fmt: skip
    return fee_item_create(actor=desk, **{**defaults, **values})


@pytest.fixture
def schedule(desk):
    electricity = {"name": "Electricity", "name_zh": "电费", "unit": "每千瓦时", "amount": Decimal("1.05")}
    overtime = {"name": "Overtime AC", "name_zh": "延时空调", "unit": "每小时", "amount": Decimal("300")}
    return {
        "current": _fee(desk),
        "on_behalf": _fee(desk, kind="on_behalf", **electricity),
        "paid": _fee(desk, kind="paid_service", valid_to=date(2026, 6, 15), **overtime),
        "expired": _fee(desk, name_zh="旧标准管理费", valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31)),
        "future": _fee(desk, name_zh="新标准管理费", valid_from=date(2026, 7, 1)),
    }


def test_the_public_page_shows_only_today_s_items_by_kind_in_chinese_without_login(schedule):
    """TEN-10: no login; the items valid today (valid_to today included), grouped by kind; Chinese
    whatever the visitor's language; read-only (no form)."""
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(PUBLIC)
    assert response.status_code == 200
    html = response.content.decode()
    shown = {int(pk) for pk in re.findall(r'data-fee="(\d+)"', html)}
    assert shown == {schedule["current"].pk, schedule["on_behalf"].pk, schedule["paid"].pk}
    assert '<html lang="zh-Hans">' in html and response["Content-Language"] == "zh-hans"
    assert "旧标准管理费" not in html and "新标准管理费" not in html
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert kinds == ["service", "on_behalf", "paid_service"]
    assert "<form" not in html and "12.50" in html


def test_the_public_page_with_nothing_valid_has_an_empty_state(db):
    """TEN-10: an empty schedule still answers, with a message."""
    response = Client().get(PUBLIC)
    assert response.status_code == 200 and b'id="empty-state"' in response.content


def test_the_api_is_read_without_login_and_lists_only_valid_items(schedule, desk):
    """TEN-10: /api/v1/fee-schedule/ — AllowAny, read-only, the items valid today; a bad token does
    not turn it into a 401; no write."""
    anonymous = APIClient()
    body = anonymous.get(API).json()
    assert {row["id"] for row in body["results"]} == {schedule[k].pk for k in ("current", "on_behalf", "paid")}
    row = next(r for r in body["results"] if r["id"] == schedule["current"].pk)
    assert set(row) == {"id", "kind", "name", "name_zh", "unit", "amount", "valid_from", "valid_to", "notes"}
    assert row["amount"] == "12.50" and row["valid_to"] is None
    assert anonymous.get(f"{API}{schedule['expired'].pk}/").status_code == 404
    assert anonymous.get(API, HTTP_AUTHORIZATION="Token nonsense").status_code == 200
    assert anonymous.post(API, {"name": "x"}, format="json").status_code == 405
    signed_in = APIClient()
    signed_in.force_authenticate(desk)
    assert signed_in.delete(f"{API}{schedule['current'].pk}/").status_code == 405


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_from": date(2026, 5, 1), "valid_to": date(2026, 4, 30)}, "valid_to"),
        ({"amount": Decimal("-0.01")}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"kind": "rent"}, "kind"),
        ({"name_zh": "  "}, "name_zh"),
        ({"valid_from": None}, "valid_from"),
    ],
)
def test_the_service_refuses_bad_items(desk, change, field):
    """TEN-10: valid_to ≥ valid_from, an amount in CNY ≥ 0 to the fen, a known kind, the names."""
    with pytest.raises(DomainError) as refused:
        _fee(desk, **change)
    assert refused.value.field == field
    assert not FeeScheduleItem.objects.exists()


def test_a_one_day_validity_is_fine_and_an_update_keeps_the_history(desk):
    """TEN-10, ORG-03: valid_to = valid_from is allowed; a change is in the audit history."""
    item = _fee(desk, valid_from=date(2026, 6, 15), valid_to=date(2026, 6, 15))
    fee_item_update(actor=desk, item=item, **{**_values(item), "amount": Decimal("13.00")})
    item.refresh_from_db()
    assert item.amount == Decimal("13.00") and item.history.count() == 2
    assert item.history.first().history_user == desk


def _values(item) -> dict:
    return {
        name: getattr(item, name)
        for name in ("kind", "name", "name_zh", "unit", "amount", "valid_from", "valid_to", "notes")
    }


def test_desk_edits_the_schedule_through_the_pages(client_for, desk):
    """TEN-10: the form creates and edits; a bad validity is a form error and writes nothing."""
    client = client_for(desk)
    good = {
        "kind": "paid_service", "name": "Cleaning", "name_zh": "店面清洁", "unit": "每次", "amount": "200.00",
        "valid_from": "2026-06-01", "valid_to": "", "notes": "",
    }  # fmt: skip
    assert client.post(reverse("tenants:fee_new"), {**good, "valid_to": "2026-05-01"}).status_code == 400
    assert client.post(reverse("tenants:fee_new"), {**good, "amount": "-5"}).status_code == 400
    assert not FeeScheduleItem.objects.exists()
    assert client.post(reverse("tenants:fee_new"), good).status_code == 302
    item = FeeScheduleItem.objects.get()
    assert client.get(reverse("tenants:fee_edit", args=[item.pk])).status_code == 200
    assert client.post(reverse("tenants:fee_edit", args=[item.pk]), {**good, "amount": "250"}).status_code == 302
    item.refresh_from_db()
    assert item.amount == Decimal("250.00")
    bad = client.post(reverse("tenants:fee_edit", args=[item.pk]), {**good, "valid_to": "2026-01-01"})
    assert bad.status_code == 400
    item.refresh_from_db()
    assert item.valid_to is None


def test_the_list_filters_sorts_exports_with_constant_queries(client_for, desk, django_assert_max_num_queries):
    """TEN-10, DSH-03: by kind and name; sorted; the export; queries do not grow with the rows."""
    client = client_for(desk)
    _fee(desk)
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST).status_code == 200
    for number in range(12):
        _fee(desk, kind="paid_service", name=f"Service {number}", name_zh=f"服务{number}", amount=Decimal(number))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
    assert [i.name_zh for i in client.get(LIST, {"kind": "service"}).context["object_list"]] == ["物业管理费"]
    assert [i.name_zh for i in client.get(LIST, {"name": "服务11"}).context["object_list"]] == ["服务11"]
    ordered = client.get(LIST, {"sort": "-amount"}).context["object_list"]
    assert ordered[0].amount == Decimal("12.50")
    export = client.get(LIST, {"kind": "service", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_management_reads_and_outsiders_see_nothing(client_for, desk, gm, rep, buyer, engineer):
    """TEN-10, ORG-02: the GM reads the list and cannot edit; others get 403 on the list and the form,
    404 on an item; the service refuses anyone but operations."""
    item = _fee(desk)
    gm_client = client_for(gm)
    page = gm_client.get(LIST)
    assert page.status_code == 200 and b'id="new-fee"' not in page.content
    assert gm_client.get(reverse("tenants:fee_new")).status_code == 403
    assert gm_client.get(reverse("tenants:fee_edit", args=[item.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        fee_item_update(actor=gm, item=item, **_values(item))
    for person in (rep, buyer, engineer):
        client = client_for(person)
        assert client.get(LIST).status_code == 403
        assert client.get(LIST, {"export": "xlsx"}).status_code == 403
        assert client.get(reverse("tenants:fee_new")).status_code == 403
        assert client.get(reverse("tenants:fee_edit", args=[item.pk])).status_code == 404
        assert client.post(reverse("tenants:fee_edit", args=[item.pk]), {}).status_code == 404
        # The published schedule is public: the same as for anyone.
        assert client.get(PUBLIC).status_code == 200
