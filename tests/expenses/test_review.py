import threading

import pytest
from django.db import connection

from crm_project.core.errors import DomainError, PermissionDenied
from expenses.models import EntryKind, LedgerEntry, Signature, StatementStatus
from expenses.services.review import signer_queue, statement_return, statement_sign
from expenses.services.statements import statement_create, statement_submit
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import UserFactory


@pytest.fixture
def submitted(rep, time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    purchase(fee_customer(rep), product)
    statement = statement_create(actor=rep, month=SEPTEMBER)
    return statement_submit(actor=rep, statement=statement)


@pytest.mark.django_db
def test_clerk_then_manager_then_finance_make_it_valid_and_locked(submitted, clerk, manager, finance):
    """EXP-07, EXP-08, EXP-03"""
    statement_sign(actor=clerk, statement=submitted)
    statement_sign(actor=manager, statement=submitted)
    statement = statement_sign(actor=finance, statement=submitted)
    assert statement.status == StatementStatus.VALID
    assert statement.valid_at and not statement.archived_original_at  # filing is an act of its own
    assert LedgerEntry.objects.filter(statement=statement, kind=EntryKind.ACCRUAL).count() == 1


@pytest.mark.django_db
def test_signing_out_of_order_is_refused(submitted, manager, finance):
    """EXP-07"""
    with pytest.raises(DomainError, match="clerk"):
        statement_sign(actor=manager, statement=submitted)
    with pytest.raises(DomainError, match="clerk"):
        statement_sign(actor=finance, statement=submitted)
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_nobody_signs_their_own_statement_or_twice(submitted, rep, sales, clerk):
    """EXP-07"""
    with pytest.raises(PermissionDenied):
        statement_sign(actor=rep, statement=submitted)
    clerk_and_manager = UserFactory(username="both", department=sales, roles=["sales_clerk", "sales_manager"])
    statement_sign(actor=clerk_and_manager, statement=submitted)
    with pytest.raises(DomainError, match="already signed"):
        statement_sign(actor=clerk_and_manager, statement=submitted)


@pytest.mark.django_db
def test_a_return_clears_the_signatures_and_keeps_the_history(submitted, rep, clerk, manager):
    """EXP-07: a returned statement goes back to the rep and the signatures start again."""
    statement_sign(actor=clerk, statement=submitted)
    with pytest.raises(DomainError, match="why"):
        statement_return(actor=manager, statement=submitted, comment=" ")
    statement = statement_return(actor=manager, statement=submitted, comment="客户A数量不对")
    assert statement.status == StatementStatus.RETURNED
    with pytest.raises(DomainError):
        statement_sign(actor=clerk, statement=statement)  # signing a returned statement
    statement = statement_submit(actor=rep, statement=statement)
    with pytest.raises(DomainError, match="clerk"):
        statement_sign(actor=manager, statement=statement)
    statement_sign(actor=clerk, statement=statement)
    assert Signature.objects.filter(statement=statement).count() == 2  # the old round's signature is kept
    assert [e.action for e in statement.events.all()] == ["submit", "sign", "return", "submit", "sign"]


@pytest.mark.django_db
def test_the_queue_shows_what_waits_for_me_oldest_first(submitted, clerk, manager, other_rep, outsider):
    """EXP-07"""
    assert list(signer_queue(clerk)) == [submitted]
    assert list(signer_queue(manager)) == []
    assert list(signer_queue(outsider)) == []


@pytest.mark.django_db(transaction=True)
def test_two_signers_at_the_same_moment_give_one_signature(submitted, sales, clerk):
    """EXP-07: two people pressing "sign" at once on two connections: exactly one wins."""
    second_clerk = UserFactory(username="clerk2", department=sales, roles=["sales_clerk"])
    _race(submitted, [clerk, second_clerk], expected_winners=1)
    assert Signature.objects.filter(statement=submitted).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_racing_manager_cannot_skip_the_clerk(submitted, clerk, manager):
    """EXP-07: clerk and manager at once — the manager can never sign before the clerk."""
    results = _race(submitted, [clerk, manager], expected_winners=None)
    roles = list(Signature.objects.filter(statement=submitted).values_list("role", flat=True))
    assert roles in (["clerk"], ["clerk", "manager"])
    assert results[clerk.username] == "signed"


def _race(statement, signers, expected_winners):
    barrier = threading.Barrier(len(signers))
    results = {}

    def attempt(user):
        try:
            barrier.wait()
            statement_sign(actor=user, statement=statement)
            results[user.username] = "signed"
        except DomainError as error:
            results[user.username] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in signers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if expected_winners is not None:
        assert list(results.values()).count("signed") == expected_winners, results
    return results
