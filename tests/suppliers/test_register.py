"""Registering a candidate: the credit code's check digit, one live file per company, a rejected
company registered again linked to its old file (SUP-02)."""

import pytest

from crm_project.core.errors import DomainError, PermissionDenied
from suppliers.identity import credit_code_problem, name_key
from suppliers.models import Stage, Supplier
from suppliers.services.register import DuplicateSupplier, supplier_register, supplier_update
from suppliers.services.stages import supplier_reject

from .factories import credit_code, register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y43", None),
        ("91350100M000100Y44", "check"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100I43", "characters"),
    ],
)
def test_the_credit_code_has_18_characters_and_its_check_digit(code, problem):
    """SUP-02: GB 32100-2015."""
    assert credit_code_problem(code) == problem


def test_names_that_differ_only_in_spelling_are_one_company():
    """SUP-02: full-width brackets, spaces and the legal form do not make a new company."""
    assert name_key("华盛（深圳）科技有限公司") == name_key("华盛(深圳)科技 有限公司") == name_key("华盛 (深圳) 科技")
    assert name_key("Acme Trading Co., Ltd.") == name_key("ACME trading")
    assert name_key("华盛科技") != name_key("华盛电子")


def test_a_bad_credit_code_is_refused_with_what_is_wrong(buyer):
    """SUP-02"""
    with pytest.raises(DomainError, match="check digit") as refused:
        register(buyer, credit_code="91350100M000100Y44")
    assert refused.value.field == "credit_code"
    with pytest.raises(DomainError, match="18 characters"):
        register(buyer, credit_code="123")
    assert not Supplier.objects.exists()


def test_the_code_is_taken_as_typed_with_spaces_and_lower_case(buyer):
    """SUP-02"""
    supplier = register(buyer, credit_code=" 91350100m000100y43 ")
    assert supplier.credit_code == "91350100M000100Y43"


def test_a_second_registration_of_the_same_company_is_refused_with_the_first(buyer):
    """SUP-02: duplicate detection on the credit code and on the normalised name."""
    first = register(buyer, name="华盛（深圳）科技有限公司", credit_code=credit_code(1))
    with pytest.raises(DuplicateSupplier) as same_code:
        register(buyer, name="别的名字", credit_code=credit_code(1))
    assert same_code.value.existing == first and same_code.value.field == "credit_code"
    with pytest.raises(DuplicateSupplier) as same_name:
        register(buyer, name="华盛(深圳)科技 有限公司", credit_code=credit_code(2))
    assert same_name.value.existing == first and same_name.value.field == "name"
    assert Supplier.objects.count() == 1


def test_renaming_a_file_into_another_company_is_refused(buyer):
    """SUP-02"""
    register(buyer, name="甲公司", credit_code=credit_code(3))
    second = register(buyer, name="乙公司", credit_code=credit_code(4))
    with pytest.raises(DuplicateSupplier):
        supplier_update(actor=buyer, supplier=second, name="甲 公司")
    second.refresh_from_db()
    assert second.name == "乙公司"


def test_a_rejected_company_is_registered_again_as_a_new_candidate_linked_to_the_old_file(buyer):
    """SUP-02"""
    old = register(buyer, name="丙公司", credit_code=credit_code(5))
    supplier_reject(actor=buyer, supplier=old, reason="资质不全")
    again = register(buyer, name="丙有限公司", credit_code=credit_code(5))
    assert (again.stage, again.previous) == (Stage.CANDIDATE, old)
    assert "rejection of file" in again.steps.get().note


def test_only_procurement_registers(rep, gm, head):
    """ORG-01 ORG-02"""
    for person in (rep, gm, head):
        with pytest.raises(PermissionDenied):
            supplier_register(
                actor=person, name="丁公司", credit_code=credit_code(6), legal_representative="李", goods="x"
            )
    assert not Supplier.objects.exists()


def test_required_details_are_asked_for(buyer):
    """SUP-02"""
    with pytest.raises(DomainError, match="legal representative") as refused:
        register(buyer, legal_representative=" ")
    assert refused.value.field == "legal_representative"
    with pytest.raises(DomainError, match="goods"):
        register(buyer, goods="")
