"""The department scope stays exact while it gets faster (ORG-02, DSH-03): `owner IN (the
department's people)` and the short-term characters index must return what the plain rule
returns — at a size where the planner takes the indexes — and follow a move the moment it
is made."""

import pytest
from django.db import connection
from django.db.models import Q

from crm_project.accounts.roles import Role
from customers.models import Customer
from customers.selectors import customer_visible_to, search_customers
from customers.services.search import customer_refresh_search_text
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = ["华盛", "宏达", "深圳华盛", "恒信", "华"]


@pytest.fixture
def two_departments(sales, rep, other_rep, manager):
    """3,000 customers: two thirds with Sales' reps, a third with East China's."""
    east = DepartmentFactory(code="east", name_zh="华东销售部", name_en="East China sales")
    east_rep = UserFactory(username="east_rep", department=east, roles=[Role.SALES_REP])
    owners = [rep, other_rep, east_rep]
    cities, words = ["深圳", "上海", "北京"], ["华盛", "宏达", "恒信", "金源"]
    Customer.objects.bulk_create(
        Customer(
            code=f"S{index:05d}",
            name=f"{cities[index % 3]}{words[index // 3 % 4]}科技有限公司",
            owner=owners[index // 7 % 3],
            phone=f"0755-{index:08d}",
        )
        for index in range(3000)
    )
    customer_refresh_search_text(customer_ids=Customer.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
    return east, east_rep


def _by_the_plain_rule(user):
    """ORG-02 as written: own records, or the owner's department is the user's."""
    return Customer.objects.filter(Q(owner=user) | Q(owner__department_id=user.department_id))


def test_a_managers_searches_never_return_another_departments_customer(manager, two_departments):
    """ORG-02: for every term, long or short (the characters index), the manager's results are
    exactly the plain rule's — and none is East China's."""
    east, _east_rep = two_departments
    for term in WORDS + ["0755-0000012", "s0001"]:
        found = set(search_customers(customer_visible_to(manager), term).values_list("pk", flat=True))
        expected = {customer.pk for customer in _by_the_plain_rule(manager) if term.lower() in customer.search_text}
        assert found == expected, term
        assert found, term
        assert not Customer.objects.filter(pk__in=found, owner__department=east).exists(), term


def test_the_list_page_of_a_manager_counts_their_department_only(client_for, manager, two_departments):
    """ORG-02, DSH-03: the list's count and rows come from the same exact scope."""
    response = client_for(manager).get("/customers/", {"q": "华盛"})
    expected = _by_the_plain_rule(manager).filter(search_text__contains="华盛").count()
    assert response.context["paginator"].count == expected
    east_names = set(Customer.objects.filter(owner__username="east_rep").values_list("pk", flat=True))
    assert not {customer.pk for customer in response.context["object_list"]} & east_names


def test_moving_a_rep_moves_their_customers_out_of_the_old_managers_scope_at_once(manager, rep, two_departments):
    """ORG-02: the scope is read when the query runs — nothing to refresh after a move."""
    east, _east_rep = two_departments
    before = customer_visible_to(manager).count()
    owned = Customer.objects.filter(owner=rep).count()
    rep.department = east
    rep.save(update_fields=["department"])
    assert customer_visible_to(manager).count() == before - owned
    assert not customer_visible_to(manager).filter(owner=rep).exists()
