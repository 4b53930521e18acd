"""The people around a survey are those around a complaint: customer service, a customer of
`rep` and one of `other_rep` (tests/complaints/conftest.py)."""

import pytest

from crm_project.accounts.roles import Role
from tests.complaints.conftest import (  # noqa: F401 (fixtures)
    _fast_passwords,
    contact,
    customer,
    customer_service_department,
    english,
    other_customer,
    service,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.tenants.conftest import desk, ops_manager  # noqa: F401 (fixtures)


@pytest.fixture
def outsider(db):
    """Someone with nothing to do with surveys: operations run the tenants' surveys now, so the
    usual outsider (an operations clerk) is not one here."""
    procurement = DepartmentFactory(code="procurement", name_zh="资材部", name_en="Procurement")
    return UserFactory(username="outsider", department=procurement, roles=[Role.PROCUREMENT])
