"""People around a complaint: customer service, the quality department (head and an
inspector), a customer of `rep` and one of `other_rep`."""

import pytest
from django.utils import translation

from crm_project.accounts.roles import Role
from tests.customers.factories import ContactFactory, CustomerFactory
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def english():
    """Messages from services in English, as the source strings are (the active language
    outside a request is the site's default, Chinese, once the catalogue is filled)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The people here never log in with a password; hashing it properly costs seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _public_rate_limit(settings):
    """Five public submissions an hour per address, whatever the environment says (each test
    counts in its own keys: tests/conftest.py)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "complaint-public": "5/h"}


@pytest.fixture
def customer_service_department(db):
    return DepartmentFactory(code="customer-service", name_zh="客服部", name_en="Customer Service")


@pytest.fixture
def service(customer_service_department):
    return UserFactory(username="service", department=customer_service_department, roles=[Role.CUSTOMER_SERVICE])


@pytest.fixture
def quality(db):
    return DepartmentFactory(code="quality", name_zh="质量部", name_en="Quality")


@pytest.fixture
def quality_head(quality):
    head = UserFactory(username="quality_head", department=quality, roles=[Role.SPECIALIST])
    quality.head = head
    quality.save(update_fields=["head"])
    return head


@pytest.fixture
def inspector(quality, quality_head):
    return UserFactory(username="inspector", department=quality, roles=[Role.SPECIALIST])


@pytest.fixture
def safety_staff(db):
    department = DepartmentFactory(code="safety", name_zh="安全部", name_en="Safety")
    return UserFactory(username="safety", department=department, roles=[Role.SPECIALIST])


@pytest.fixture
def customer(rep):
    return CustomerFactory(owner=rep, name="华东精密制造有限公司")


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="王主管", phone="13900000001")


@pytest.fixture
def other_customer(other_rep):
    return CustomerFactory(owner=other_rep, name="别人的客户有限公司")
