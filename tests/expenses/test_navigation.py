"""The "Rapport fees" menu per role (DSH-02, EXP-13): every fee page a role may use is in the
navigation and on the fee home, and every such link answers 200 for the people who see it."""

import re

import pytest

from crm_project.core.navigation import nav

pytestmark = pytest.mark.django_db

FEE_PEOPLE = ["rep", "clerk", "manager", "director", "finance", "administrator"]
EXPECTED = {
    "rep": {"fees-statements", "fees-advances", "fees-sheets", "fees-special", "fees-standards", "fees-ledger"},
    "clerk": {"fees-queue", "fees-statements", "fees-controls", "fees-standards", "fees-ledger"},
    "manager": {"fees-queue", "fees-statements", "fees-advances", "fees-sheets", "fees-special", "fees-controls",
                "fees-standards", "fees-ledger"},
    "director": {"fees-statements", "fees-advances", "fees-sheets", "fees-special", "fees-controls",
                 "fees-standards", "fees-ledger"},
    "finance": {"fees-queue", "fees-statements", "fees-advances", "fees-sheets", "fees-special", "fees-finance",
                "fees-controls", "fees-standards", "fees-ledger"},
}  # fmt: skip


def _fee_menu(user) -> list:
    return [item for item in nav.for_user(user) if item.parent == "fees"]


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to("2026-10-12 10:00 +0800")


@pytest.mark.parametrize("who", FEE_PEOPLE)
def test_every_fee_link_a_role_sees_answers_200(request, client_for, who):
    """DSH-02, EXP-13: the menu and the home's cards hold the same pages, all reachable."""
    user = request.getfixturevalue(who)
    client = client_for(user)
    items = _fee_menu(user)
    if who in EXPECTED:
        assert {item.key for item in items} >= EXPECTED[who]
    page = client.get("/").content.decode()
    home = client.get("/fees/").content.decode()
    for item in items:
        assert f'data-nav="{item.key}"' in page, item.key
        assert f'href="{item.url}"' in home, item.key
        response = client.get(item.url)
        assert response.status_code == 200, (who, item.url, response.status_code)


def test_each_entry_only_for_the_roles_that_may_open_it(client_for, rep, clerk, director):
    """EXP-13: the rep has no queue, controls or finance desk; the clerk no advances."""
    assert not {"fees-queue", "fees-controls", "fees-finance"} & {item.key for item in _fee_menu(rep)}
    assert not {"fees-advances", "fees-finance"} & {item.key for item in _fee_menu(clerk)}
    assert client_for(rep).get("/fees/controls/").status_code == 404
    assert client_for(director).get("/fees/finance/").status_code == 404


def test_people_without_a_fee_role_get_no_fee_menu(client_for, outsider, gm):
    """EXP-13: not management, not other departments."""
    for user in (outsider, gm):
        assert _fee_menu(user) == []
        html = client_for(user).get("/").content.decode()
        assert not re.search(r'data-nav="fees', html)
