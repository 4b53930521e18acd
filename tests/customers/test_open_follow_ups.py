"""Open follow-ups kept by the database (migration customers 0007): `follow_up_open` must say
exactly what "no later interaction, no visit completed after it" says, whichever way the rows
were written — through the services, out of order, or many at once."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Exists, OuterRef

from customers.models import Interaction, Visit, VisitStatus
from customers.services.interactions import interaction_log
from customers.services.visits import visit_complete
from tests.customers.factories import CustomerFactory, InteractionFactory, VisitFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 20, 4, tzinfo=UTC)  # 12:00 in Shanghai


def _is_open(interaction) -> bool:
    interaction.refresh_from_db(fields=["follow_up_open"])
    return interaction.follow_up_open


def _log(rep, customer, when, follow_up=None):
    return interaction_log(
        actor=rep, customer=customer, kind="phone", occurred_at=when, summary="电话沟通", follow_up_date=follow_up
    )


@time_machine.travel(NOON, tick=False)
def test_a_later_interaction_closes_a_follow_up_and_an_earlier_one_does_not(rep):
    """CUS-08: the follow-up stays open until something happens with the customer after it."""
    customer = CustomerFactory(owner=rep)
    follow_up = _log(rep, customer, NOON - timedelta(days=3), follow_up=date(2026, 11, 25))
    assert _is_open(follow_up)
    _log(rep, customer, NOON - timedelta(days=5))  # logged now, but it happened before
    assert _is_open(follow_up)
    _log(rep, customer, NOON - timedelta(days=1))
    assert not _is_open(follow_up)


@time_machine.travel(NOON, tick=False)
def test_a_follow_up_logged_after_the_fact_is_closed_from_the_start(rep):
    """CUS-08: a back-dated follow-up that something already answered is not due."""
    customer = CustomerFactory(owner=rep)
    _log(rep, customer, NOON - timedelta(days=1))
    late = _log(rep, customer, NOON - timedelta(days=4), follow_up=date(2026, 11, 21))
    assert not _is_open(late)
    assert not _is_open(_log(rep, customer, NOON - timedelta(days=2)))  # no follow-up date: never open


@time_machine.travel(NOON, tick=False)
def test_a_visit_completed_after_it_closes_the_follow_up(rep):
    """CUS-08, CUS-09: a visit completed after the interaction is its follow-up; another
    customer's visit is not."""
    customer, other = CustomerFactory(owner=rep), CustomerFactory(owner=rep)
    follow_up = _log(rep, customer, NOON - timedelta(days=3), follow_up=date(2026, 11, 25))
    visit_complete(
        actor=rep, visit=VisitFactory(customer=other), purpose="回访", people_met="", findings="满意", needs="",
        next_actions="",
    )  # fmt: skip
    assert _is_open(follow_up)
    visit_complete(
        actor=rep, visit=VisitFactory(customer=customer), purpose="回访", people_met="", findings="满意", needs="",
        next_actions="", completed_at=NOON - timedelta(days=4),
    )  # fmt: skip
    assert _is_open(follow_up)  # completed before the interaction
    visit_complete(
        actor=rep, visit=VisitFactory(customer=customer), purpose="回访", people_met="", findings="满意", needs="",
        next_actions="",
    )  # fmt: skip
    assert not _is_open(follow_up)


def test_the_flag_agrees_with_the_rule_for_rows_written_in_any_order(rep):
    """CUS-08: 200 interactions and visits on five customers, written in a random order (as an
    import would), give exactly the open follow-ups the row-by-row rule gives."""
    rng = random.Random(14)
    customers = [CustomerFactory(owner=rep) for _index in range(5)]
    start = datetime(2026, 9, 1, 2, tzinfo=UTC)
    for _index in range(200):
        customer = rng.choice(customers)
        when = start + timedelta(hours=rng.randrange(24 * 60))
        if rng.random() < 0.8:
            follow_up = date(2026, 11, 1) + timedelta(days=rng.randrange(30)) if rng.random() < 0.5 else None
            InteractionFactory(customer=customer, occurred_at=when, follow_up_date=follow_up)
        else:
            VisitFactory(customer=customer, status=VisitStatus.COMPLETED, completed_at=when, purpose="p", findings="f")
    later_interaction = Interaction.objects.filter(
        customer=OuterRef("customer"), occurred_at__gt=OuterRef("occurred_at")
    )
    later_visit = Visit.objects.filter(
        customer=OuterRef("customer"), status=VisitStatus.COMPLETED, completed_at__gt=OuterRef("occurred_at")
    )
    by_rule = set(
        Interaction.objects.filter(follow_up_date__isnull=False)
        .filter(~Exists(later_interaction), ~Exists(later_visit))
        .values_list("pk", flat=True)
    )
    assert by_rule  # the data holds open follow-ups at all
    assert set(Interaction.objects.filter(follow_up_open=True).values_list("pk", flat=True)) == by_rule
