"""/api/v1/products/: the ERP keeps the product master (CUS-10)."""

import pytest
from rest_framework.test import APIClient

from crm_project.accounts.roles import Role
from customers.models import Product
from tests.customers.factories import ProductFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/"


@pytest.fixture
def admin_role(it_department):
    """An administrator by role, not a superuser."""
    return UserFactory(username="it-admin", department=it_department, roles=[Role.ADMINISTRATOR])


def post(user, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(URL, body, format="json")


def test_the_integration_user_and_administrators_add_products(erp, admin_role, administrator, rep):
    """CUS-10: a new product of the ERP's master, readable by everyone at once."""
    response = post(erp, {"code": "P-NEW", "name": "新模块", "unit": "件"})
    assert response.status_code == 201, response.content
    assert response.json() == {"id": Product.objects.get(code="P-NEW").pk, "code": "P-NEW", "name": "新模块",
                               "unit": "件"}  # fmt: skip
    assert Product.objects.get(code="P-NEW").history.get().history_user == erp  # ORG-03
    assert post(admin_role, {"code": "P-TWO", "name": "二号", "unit": "台"}).status_code == 201
    assert post(administrator, {"code": "P-THREE", "name": "三号", "unit": "台"}).status_code == 201
    client = APIClient()
    client.force_authenticate(rep)
    assert {p["code"] for p in client.get(URL).json()["results"]} == {"P-NEW", "P-TWO", "P-THREE"}


def test_everyone_else_gets_403(rep, clerk, manager, finance, gm, outsider):
    """CUS-10: finance sets fee standards, but the product master is the ERP's."""
    for user in (rep, clerk, manager, finance, gm, outsider):
        response = post(user, {"code": "P-NEW", "name": "新模块", "unit": "件"})
        assert response.status_code == 403, user
    assert not Product.objects.exists()
    assert APIClient().post(URL, {"code": "P-NEW", "name": "x", "unit": "件"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "P-SENSOR", "name": "又一个", "unit": "件"}, "code"),  # taken
        ({"code": "p-sensor", "name": "又一个", "unit": "件"}, "code"),  # taken, other case
        ({"code": "P-\x00NUL", "name": "新", "unit": "件"}, "code"),
        ({"code": "P-NEW", "name": "新\x00", "unit": "件"}, "name"),
        ({"code": "P-NEW", "name": "新\x07模块", "unit": "件"}, "name"),
        ({"code": "   ", "name": "新", "unit": "件"}, "code"),
        ({"code": "P NEW", "name": "新", "unit": "件"}, "code"),
        ({"code": "P-NEW", "name": "", "unit": "件"}, "name"),
        ({"code": "P-NEW", "name": "新"}, "unit"),
        ({"code": "P" * 41, "name": "新", "unit": "件"}, "code"),
        ({"code": ["P-NEW"], "name": "新", "unit": "件"}, "code"),
    ],
)
def test_bad_products_are_refused_with_400_and_nothing_is_written(erp, body, field):
    """CUS-10: a unique code, no NUL or control characters, nothing blank."""
    ProductFactory(code="P-SENSOR")
    response = post(erp, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Product.objects.count() == 1
