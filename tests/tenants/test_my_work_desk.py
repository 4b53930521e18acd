"""Operations' landing card (DSH-02, TEN-02, TEN-03, ORG-02): today's open tenant requests, the
breached ones first (the longest overdue first), then the nearest target; how many are open,
breached and logged today; for the desk only, in a constant number of queries. A department
that handles requests keeps its own card of the requests assigned to it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenants.models import TenantRequest

from .factories import RequestFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _page(client):
    return lxml.html.fromstring(client.get("/").content)


def _card(document):
    found = document.xpath('//*[@id="panel-tenant_desk"]')
    return found[0] if found else None


def _log(desk, tenant, description: str, *, ago: timedelta, category: str = "repair") -> TenantRequest:
    return RequestFactory(actor=desk, tenant=tenant, category=category, description=description, logged_at=NOW - ago)


@pytest.fixture
def requests_today(desk, tenant, engineer):
    """Two breached repairs (5 and 3 days old), a repair logged now and an inquiry an hour ago,
    and a confirmed request that is no longer open."""
    made = {
        "fresh": _log(desk, tenant, "新报修", ago=timedelta(0)),
        "inquiry": _log(desk, tenant, "咨询营业时间", ago=timedelta(hours=1), category="inquiry"),
        "old": _log(desk, tenant, "旧报修", ago=timedelta(days=3)),
        "older": _log(desk, tenant, "更旧报修", ago=timedelta(days=5)),
        "closed": _log(desk, tenant, "已确认", ago=timedelta(days=8)),
    }
    TenantRequest.objects.filter(pk=made["closed"].pk).update(status="confirmed")
    return made


def test_breaches_come_first_then_the_nearest_target(client_for, desk, requests_today):
    """DSH-02, TEN-02, TEN-03: the breached requests first, the longest overdue first; then the
    open ones by the target that comes next; the confirmed one is not open."""
    card = _card(_page(client_for(desk)))
    order = [row.get("data-reference") for row in card.xpath('.//*[@id="tenant-desk-requests"]/li')]
    expected = [requests_today[key].reference for key in ("older", "old", "fresh", "inquiry")]
    assert order == expected
    rows = card.xpath('.//*[@id="tenant-desk-requests"]/li')
    assert all("breached" in row.text_content() for row in rows[:2])
    assert not any("breached" in row.text_content() for row in rows[2:])
    assert "overdue by" in rows[0].text_content() and "left" in rows[2].text_content()


def test_it_counts_the_open_the_breached_and_those_logged_today(client_for, desk, requests_today):
    """DSH-02, TEN-02: 4 open (the confirmed one is not), 2 breached, 2 logged today."""
    card = _card(_page(client_for(desk)))
    assert card.xpath('string(.//*[@id="desk-open-count"])') == "4"
    assert card.xpath('string(.//*[@id="desk-breached-count"])').strip() == "2 breached"
    assert "2 logged today" in card.xpath('string(.//*[@id="desk-logged-today"])')


def test_the_card_links_to_the_desk_page(client_for, desk, requests_today):
    """DSH-02: the card is the top of the desk page, and links to it."""
    client = client_for(desk)
    card = _card(_page(client))
    assert reverse("tenants:desk") in card.xpath(".//a/@href")
    assert client.get(reverse("tenants:desk")).status_code == 200


def test_the_desk_card_replaces_the_department_card_for_the_desk(client_for, desk, engineer, requests_today):
    """DSH-02: the desk sees every open request on its own card, not a second card of the ones
    assigned to operations; Engineering, which handles the repairs, sees its assigned ones."""
    document = _page(client_for(desk))
    assert _card(document) is not None and not document.xpath('//*[@id="panel-tenant_requests"]')
    document = _page(client_for(engineer))
    assert _card(document) is None
    assigned = document.xpath('//*[@id="panel-tenant_requests"]')
    assert assigned and requests_today["older"].reference in assigned[0].text_content()


@pytest.mark.parametrize("who", ["gm", "rep", "finance"])
def test_others_do_not_see_the_desk_card(client_for, request, who, requests_today):
    """DSH-02, ORG-02: management has the dashboard; sales and finance see nothing of tenants."""
    assert _card(_page(client_for(request.getfixturevalue(who)))) is None


def _queries(client) -> int:
    client.get("/")  # the settings rows and the calendar are made on the first visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_card_runs_a_constant_number_of_queries(client_for, desk, tenant):
    """DSH-02: 2 or 20 open requests, some breached — the same queries."""
    for n in range(2):
        _log(desk, tenant, f"报修{n}", ago=timedelta(days=n))
    few = _queries(client_for(desk))
    for n in range(18):
        _log(desk, tenant, f"更多报修{n}", ago=timedelta(hours=n * 7))
    assert _queries(client_for(desk)) == few
