"""Lists of any length (DSH-03): counts capped at LIST_COUNT_CAP ("10,000+"), deep pages by
keyset (`?after=`), the same rows in the same order as the page numbers would give, and only
rows the user may see (ORG-02)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm_project.core.paging import CappedPaginator
from customers.views.customers import CustomerListView
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch, settings):
    monkeypatch.setattr(CustomerListView, "paginate_by", 3)
    settings.LIST_KEYSET_FROM_PAGE = 2


def _names(response) -> list[str]:
    return [customer.name for customer in response.context["object_list"]]


def _next(response) -> str | None:
    match = re.search(r'id="page-next" href="\?([^"]+)"', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.mark.parametrize("sort", ["name", "-name", "code", ""])
def test_following_next_by_keyset_walks_every_row_once_in_order(client_for, rep, other_rep, small_pages, sort):
    """DSH-03: page 1 by number, from page 2 on by keyset; every row of the rep's once, in the
    list's order, and never another rep's (ORG-02)."""
    for index in range(11):
        CustomerFactory(owner=rep, name=f"客户{index % 4}号{index:02d}", code=f"K{(index * 7) % 11:03d}")
    CustomerFactory(owner=other_rep, name="客户0号99")
    client = client_for(rep)
    query = f"sort={sort}" if sort else ""
    response = client.get(f"/customers/?{query}")
    seen, links = _names(response), []
    while (following := _next(response)) is not None:
        links.append(following)
        response = client.get(f"/customers/?{following}")
        assert response.status_code == 200
        seen += _names(response)
    assert "page=2" in links[0] and all("after=" in link and "page=" not in link for link in links[1:])
    pages = len(links) + 1
    everything = client.get("/customers/", {"sort": sort} if sort else {})
    expected = [c.name for c in everything.context["paginator"].object_list]
    assert seen == expected and len(seen) == 11 and pages == 4


def test_a_deep_page_costs_the_same_queries_as_a_near_one(client_for, rep, small_pages):
    """DSH-03: a keyset page runs a constant number of queries (one to find where it continues)."""
    for index in range(12):
        CustomerFactory(owner=rep, name=f"客户{index:02d}")
    client = client_for(rep)
    client.get("/customers/")
    first = client.get("/customers/", {"page": 2})
    deep = _next(first)
    with CaptureQueriesContext(connection) as near:
        client.get("/customers/", {"page": 2})
    with CaptureQueriesContext(connection) as far:
        client.get(f"/customers/?{deep}")
    assert len(far) <= len(near) + 1


def test_a_bad_or_foreign_continuation_is_a_404(client_for, rep, other_rep, small_pages):
    """ORG-02: `after` must be a row of the list the user sees; anything else is 404, nothing shown."""
    CustomerFactory(owner=rep, name="我的客户")
    theirs = CustomerFactory(owner=other_rep, name="同事的客户")
    client = client_for(rep)
    for after in ("abc", "", str(theirs.pk), "999999999"):
        assert client.get("/customers/", {"after": after}).status_code == 404, after


def test_a_count_above_the_cap_says_so_and_offers_no_last_page(client_for, rep, monkeypatch, small_pages):
    """DSH-03: beyond the cap the list counts no further: "5+", no "last page" link."""
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    for index in range(8):
        CustomerFactory(owner=rep, name=f"客户{index}")
    response = client_for(rep).get("/customers/")
    html = response.content.decode()
    assert response.context["paginator"].capped and response.context["paginator"].count == 6
    assert re.search(r'id="list-count">1–3 of 5\+<', html) or re.search(r'id="list-count">1–3[^<]*5\+', html)
    assert "Last page" not in html and "最后一页" not in html
    exact = client_for(rep).get("/customers/", {"q": "客户1"})
    assert not exact.context["paginator"].capped
