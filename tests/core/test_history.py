"""The audit history (ORG-03) shows changes in the order they were made, even when the clock
repeats or steps back between two saves (a retry, an NTP step, a test's travel)."""

import pytest

from crm_project.accounts.services import user_update_profile
from crm_project.core.history import history_entries

pytestmark = pytest.mark.django_db


def test_each_entry_is_diffed_against_the_save_before_it_whatever_the_clock(rep, time_machine):
    """ORG-03"""
    time_machine.move_to("2026-11-16 10:00 +0800", tick=False)
    user_update_profile(user=rep, data={"phone": "13800000001"})
    time_machine.move_to("2026-11-16 09:00 +0800", tick=False)  # the clock stepped back an hour
    user_update_profile(user=rep, data={"phone": "13800000002"})
    newest, older = history_entries(rep)[:2]
    assert [(change.old, change.new) for change in newest.changes] == [("13800000001", "13800000002")]
    assert [change.new for change in older.changes] == ["13800000001"]
