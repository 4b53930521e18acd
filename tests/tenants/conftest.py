"""People around the tenant service desk: operations staff at the desk (`desk`), the
operations manager who heads Operations (`ops_manager`), Engineering's staff who handle repairs
(`engineer`, also its head), and the outsiders who must see nothing: a sales rep (`rep`, root
conftest) and a supplier-side user (`buyer`, procurement). Media go to a temporary folder."""

import pytest

from crm_project.accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory

from .factories import TenantFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def ops_manager(operations):
    person = UserFactory(username="opsmanager", department=operations, roles=[Role.OPERATIONS])
    operations.head = person
    operations.save(update_fields=["head"])
    return person


@pytest.fixture
def desk(operations, ops_manager):
    return UserFactory(username="deskclerk", department=operations, roles=[Role.OPERATIONS])


@pytest.fixture
def engineering(db):
    return DepartmentFactory(code="engineering", name_zh="工程部", name_en="Engineering")


@pytest.fixture
def engineer(engineering):
    person = UserFactory(username="engineer", department=engineering, roles=[Role.SPECIALIST])
    engineering.head = person
    engineering.save(update_fields=["head"])
    return person


@pytest.fixture
def safety_staff(db):
    safety = DepartmentFactory(code="safety", name_zh="安全部", name_en="Safety")
    return UserFactory(username="safety_staff", department=safety, roles=[Role.SPECIALIST])


@pytest.fixture
def buyer(db):
    procurement = DepartmentFactory(code="procurement", name_zh="资材部", name_en="Procurement")
    return UserFactory(username="buyer", department=procurement, roles=[Role.PROCUREMENT])


@pytest.fixture
def tenant(desk):
    return TenantFactory(actor=desk)
