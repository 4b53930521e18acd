"""TEN-03: the response standards per category, pinned on the 2026 calendar (CAL-01, CAL-02)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from tenants import standards

from .factories import RequestFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_an_emergency_logged_at_2350_is_due_to_be_answered_at_0005(desk, tenant):
    """TEN-03: 15 minutes and 4 hours on the clock — the hotline is 24 hours."""
    with time_machine.travel(at(2026, 3, 16, 23, 50), tick=False):
        request = RequestFactory(actor=desk, tenant=tenant, category="emergency")
    assert request.response_due_at == at(2026, 3, 17, 0, 5)
    assert request.resolve_due_at == at(2026, 3, 17, 3, 50)


def test_a_repair_counts_2_and_48_hours_on_the_clock_over_a_weekend(desk, tenant):
    """TEN-03: a repair logged on Friday evening is due on Sunday evening, weekend or not."""
    with time_machine.travel(at(2026, 3, 20, 19, 0), tick=False):
        request = RequestFactory(actor=desk, tenant=tenant, category="repair")
    assert request.response_due_at == at(2026, 3, 20, 21, 0)
    assert request.resolve_due_at == at(2026, 3, 22, 19, 0)


def test_a_complaint_before_national_day_counts_working_days_after_the_holiday(desk, tenant):
    """TEN-03, CAL-01, CAL-02: logged on Wednesday 30 September 2026, the last working day before the
    National Day holiday (1–7 October), 5 working days are 8, 9, 10 (the make-up working Saturday),
    12 and 13 October: due at the end of Tuesday 13 October. It is answered within 24 hours."""
    with time_machine.travel(at(2026, 9, 30, 10, 0), tick=False):
        request = RequestFactory(actor=desk, tenant=tenant, category="complaint")
    assert request.resolve_due_at == at(2026, 10, 13, 18, 0)
    assert request.response_due_at == at(2026, 10, 1, 10, 0)
    assert request.complaint is not None


def test_an_inquiry_has_only_a_response_target_and_a_suggestion_none(desk, tenant):
    """TEN-03: inquiry 24 h to answer, nothing to resolve; a suggestion has no target."""
    with time_machine.travel(at(2026, 3, 16, 9, 0), tick=False):
        inquiry = RequestFactory(actor=desk, tenant=tenant, category="inquiry")
        suggestion = RequestFactory(actor=desk, tenant=tenant, category="suggestion")
    assert inquiry.response_due_at == at(2026, 3, 17, 9, 0) and inquiry.resolve_due_at is None
    assert suggestion.response_due_at is None and suggestion.resolve_due_at is None


def test_the_standards_are_settings_with_their_unit(desk, tenant, settings):
    """TEN-03: changed in the settings, with minutes, hours or working days; a typo is refused."""
    settings.TENANT_RESPONSE_STANDARDS = {
        **settings.TENANT_RESPONSE_STANDARDS,
        "repair": {"respond": "30 minutes", "resolve": "2 working days"},
    }
    with time_machine.travel(at(2026, 3, 16, 9, 0), tick=False):
        request = RequestFactory(actor=desk, tenant=tenant, category="repair")
    assert request.response_due_at == at(2026, 3, 16, 9, 30)
    assert request.resolve_due_at == at(2026, 3, 18, 18, 0)
    for typo in ("15 minuten", "0 hours", "four hours"):
        with pytest.raises(ImproperlyConfigured):
            standards.parse(typo)
