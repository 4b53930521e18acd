"""Who sees supplier files, through the one access registry (ORG-02)."""

import pytest

from crm_project.accounts.roles import Role
from suppliers.models import Stage
from suppliers.selectors import payment_terms_visible_to, supplier_visible_to
from suppliers.selectors_work import applications_waiting_for, surveys_waiting_for
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_procurement_the_head_the_survey_team_and_management_see_supplier_files(at, buyer, head, team, gm):
    """ORG-02 SUP-04"""
    supplier = at(Stage.CANDIDATE)
    for person in (buyer, head, gm, *team.values()):
        assert list(supplier_visible_to(person)) == [supplier]


def test_sales_finance_operations_customer_service_and_other_specialists_see_nothing(
    at, rep, manager, finance, outsider
):
    """ORG-02: finance only the payment terms of active suppliers."""
    active, candidate = at(Stage.ACTIVE), at(Stage.CANDIDATE)
    service = UserFactory(
        username="service", department=DepartmentFactory(code="customer-service"), roles=[Role.CUSTOMER_SERVICE]
    )
    safety = UserFactory(username="safety", department=DepartmentFactory(code="safety"), roles=[Role.SPECIALIST])
    for person in (rep, manager, finance, outsider, service, safety):
        assert not supplier_visible_to(person).exists()
    assert list(payment_terms_visible_to(finance).values_list("pk", flat=True)) == [active.pk]
    for person in (rep, outsider, service, safety):
        assert not payment_terms_visible_to(person).exists()
    assert candidate.pk not in payment_terms_visible_to(finance).values_list("pk", flat=True)


def test_my_work_lists_the_surveys_my_department_has_not_signed_and_the_applications_to_decide(at, buyer, head, team):
    """SUP-04 SUP-05 DSH-02"""
    from suppliers.services.survey import supplier_sign_finding

    onsite = at(Stage.ONSITE_SURVEY)
    approval = at(Stage.APPROVAL)
    supplier_sign_finding(actor=team["technical"], supplier=onsite, department="technical", findings="好", score=4)
    assert list(surveys_waiting_for(team["technical"])) == []
    assert list(surveys_waiting_for(team["design"])) == [onsite]
    assert list(surveys_waiting_for(buyer)) == []
    assert list(applications_waiting_for(head)) == [approval]
    assert list(applications_waiting_for(team["design"])) == []
