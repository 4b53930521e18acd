"""People around a supplier's file: procurement (`buyer`), the head of purchasing, the staff of
the three survey departments (`team`), and the media folder in a temporary directory."""

import pytest

from crm_project.accounts.roles import Role
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def procurement_department(db):
    return DepartmentFactory(code="procurement", name_zh="资材部", name_en="Procurement")


@pytest.fixture
def buyer(procurement_department):
    return UserFactory(username="buyer", department=procurement_department, roles=[Role.PROCUREMENT])


@pytest.fixture
def head(procurement_department):
    person = UserFactory(username="purchasing_head", department=procurement_department, roles=[Role.PURCHASING_HEAD])
    procurement_department.head = person
    procurement_department.save(update_fields=["head"])
    return person


def _specialist(code: str, zh: str, en: str):
    department = DepartmentFactory(code=code, name_zh=zh, name_en=en)
    person = UserFactory(username=f"{code}_staff", department=department, roles=[Role.SPECIALIST])
    department.head = person
    department.save(update_fields=["head"])
    return person


@pytest.fixture
def technical(db):
    return _specialist("technical", "技术部", "Technical")


@pytest.fixture
def design(db):
    return _specialist("design", "设计部", "Design")


@pytest.fixture
def quality_staff(db):
    return _specialist("quality", "质量部", "Quality")


@pytest.fixture
def team(technical, design, quality_staff):
    """{department code: a member who signs for it} for every survey department (SUP-04)."""
    return {"technical": technical, "design": design, "quality": quality_staff}


@pytest.fixture
def at(buyer, team, head):
    """`at(stage, **details)`: a supplier brought to that stage through the services."""
    from .factories import supplier_at

    return lambda stage, **values: supplier_at(stage, buyer=buyer, team=team, head=head, **values)
