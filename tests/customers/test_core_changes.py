import pytest

from crm_project.core.errors import DomainError, PermissionDenied
from customers.models import ChangeStatus, CoreDataChange
from customers.services.core_changes import core_change_confirm, core_change_reject, core_change_request
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _pending(rep, customer, **values):
    return core_change_request(actor=rep, customer=customer, new_values=values or {"name": "新名称"})


def test_the_page_shows_the_pending_change_and_who_must_confirm_it(client_for, rep, manager, director):
    """CUS-06: the pending change and its reviewer are visible."""
    customer = CustomerFactory(owner=rep, name="旧名称", bank_account="111")
    _pending(rep, customer, name="新名称", bank_account="222")
    response = client_for(rep).get(f"/customers/{customer.pk}/")
    html = response.content.decode()
    assert "pending-core-change" in html
    assert "旧名称" in html and "新名称" in html and "222" in html
    assert response.context["pending_core_reviewers"] == [manager]
    assert response.context["can_review_pending_core"] is False
    assert "core-change-decision" not in html
    manager_page = client_for(manager).get(f"/customers/{customer.pk}/")
    assert manager_page.context["can_review_pending_core"] is True
    assert "core-change-decision" in manager_page.content.decode()


def test_the_manager_confirms_and_the_change_applies(client_for, rep, manager):
    """CUS-06"""
    customer = CustomerFactory(owner=rep, name="旧名称")
    change = _pending(rep, customer)
    response = client_for(manager).post(f"/customers/core-changes/{change.pk}/confirm/", {"reason": "核实营业执照"})
    assert response.status_code == 302
    customer.refresh_from_db()
    change.refresh_from_db()
    assert customer.name == "新名称"
    assert (change.status, change.decided_by, change.decision_note) == (ChangeStatus.APPROVED, manager, "核实营业执照")
    assert "新名称" in customer.search_text.lower()
    assert "pending-core-change" not in client_for(rep).get(f"/customers/{customer.pk}/").content.decode()


def test_a_rejection_needs_a_reason_and_leaves_the_customer_as_it_was(client_for, rep, manager):
    """CUS-06"""
    customer = CustomerFactory(owner=rep, name="旧名称")
    change = _pending(rep, customer)
    client = client_for(manager)
    response = client.post(f"/customers/core-changes/{change.pk}/reject/", {"reason": ""}, follow=True)
    assert "why" in " ".join(str(m) for m in response.context["messages"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    client.post(f"/customers/core-changes/{change.pk}/reject/", {"reason": "名称与执照不符"})
    change.refresh_from_db()
    customer.refresh_from_db()
    assert (change.status, change.decision_note) == (ChangeStatus.REJECTED, "名称与执照不符")
    assert customer.name == "旧名称"
    with pytest.raises(DomainError, match="already"):
        core_change_confirm(actor=manager, change=change)


def test_only_a_manager_other_than_the_requester_decides(client_for, rep, clerk, manager, gm):
    """CUS-06, ORG-02: a rep, the clerk and management cannot confirm; nobody confirms their own."""
    customer = CustomerFactory(owner=rep, name="旧名称")
    change = _pending(rep, customer)
    for user in (rep, clerk, gm):
        with pytest.raises(PermissionDenied):
            core_change_confirm(actor=user, change=change)
        response = client_for(user).post(f"/customers/core-changes/{change.pk}/confirm/", follow=True)
        assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.name == "旧名称"
    change.status = ChangeStatus.REJECTED
    change.save(update_fields=["status"])
    own = core_change_request(actor=manager, customer=customer, new_values={"name": "经理改名"})
    with pytest.raises(DomainError, match="own"):
        core_change_reject(actor=manager, change=own, note="x")


def test_another_rep_gets_a_404(client_for, rep, other_rep, outsider):
    """ORG-02: another rep or department cannot see or decide the change."""
    customer = CustomerFactory(owner=rep, name="旧名称")
    change = _pending(rep, customer)
    for user in (other_rep, outsider):
        for decision in ("confirm", "reject"):
            assert (
                client_for(user).post(f"/customers/core-changes/{change.pk}/{decision}/", {"reason": "x"}).status_code
                == 404
            )
    assert CoreDataChange.objects.get().status == ChangeStatus.PENDING
