"""The one access registry (ORG-02), exercised with a fee-like record owned by a rep."""

import pytest
from django.contrib.contenttypes.models import ContentType

from crm_project.accounts import access
from crm_project.accounts.roles import Role
from crm_project.notifications.models import Notification
from crm_project.notifications.services import notify

pytestmark = pytest.mark.django_db

department_rule = access.owned_by_department("recipient", also_all=frozenset({Role.FINANCE}))


def _records(*owners):
    for owner in owners:
        notify(recipient=owner, key=f"record-{owner.pk}", title=f"record of {owner.username}", email=False)
    return Notification.objects.all()


def _visible(user, queryset):
    return {n.recipient.username for n in department_rule(user, queryset)}


def test_a_rep_sees_only_their_own(rep, other_rep, outsider):
    """ORG-02"""
    assert _visible(rep, _records(rep, other_rep, outsider)) == {"rep"}


def test_clerk_manager_and_director_see_their_department(rep, other_rep, outsider, clerk, manager, director):
    """ORG-02"""
    records = _records(rep, other_rep, outsider)
    for signer in (clerk, manager, director):
        assert _visible(signer, records) == {"rep", "other_rep"}


def test_finance_and_management_see_everything(rep, outsider, finance, gm):
    """ORG-02: finance sees all fee records, management everything."""
    records = _records(rep, outsider)
    assert _visible(finance, records) == {"rep", "outsider"}
    assert _visible(gm, records) == {"rep", "outsider"}


def test_management_is_read_only(gm, manager, administrator):
    """ORG-02: management sees everything read-only."""
    assert access.is_read_only(gm)
    assert not access.is_read_only(manager)
    assert not access.is_read_only(administrator)


def test_a_model_without_a_rule_is_visible_to_nobody_but_superusers(rep, administrator):
    """ORG-02: a forgotten rule fails closed."""
    assert not access.visible_to(rep, ContentType.objects.all()).exists()
    assert access.visible_to(administrator, ContentType.objects.all()).exists()


def test_inactive_and_anonymous_users_see_nothing(rep):
    from django.contrib.auth.models import AnonymousUser

    _records(rep)
    assert not access.visible_to(AnonymousUser(), Notification).exists()
    rep.is_active = False
    assert not access.visible_to(rep, Notification).exists()


def test_roles_are_groups_with_permissions(administrator):
    """ORG-01: roles are groups; permissions follow roles."""
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
    assert administrator.has_perm("workdays.change_calendarday")
