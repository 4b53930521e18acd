"""TEN-08, JOB-04, JOB-09: the year's tenant visit plan, the visit report, the annual visit rate
and the weekly digest of overdue tenant visits."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from crm_project.workdays.calendar import working_days_between
from tenants import tasks_visits as tasks
from tenants.models import TenantVisit
from tenants.selectors_visits import visit_rate
from tenants.services.tenants import tenant_move_out
from tenants.services.visits import tenant_visit_report, visit_plan_generate

from .factories import TenantFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 28 September 2026: the National Day holiday (1–7 October) is among the remaining days.
TODAY = date(2026, 9, 28)
NOON = datetime(2026, 9, 28, 12, 0, tzinfo=SHANGHAI)


def _report(visit, actor, **values):
    return tenant_visit_report(
        actor=actor, visit=visit, report=values.pop("report", "店长反馈客流平稳"), outcome="satisfied", **values
    )


def test_the_plan_gives_every_current_tenant_one_visit_on_working_days_in_turn(desk, ops_manager):
    """TEN-08, CAL-01: every current tenant, none moved out, on the year's remaining working days,
    visitors taken in turn; a second run adds nothing."""
    tenants = [TenantFactory(actor=desk) for _ in range(6)]
    gone = TenantFactory(actor=desk)
    tenant_move_out(actor=desk, tenant=gone)
    with time_machine.travel(NOON, tick=False):
        assert visit_plan_generate(actor=desk) == 6
        assert visit_plan_generate(actor=desk) == 0
        assert tasks.generate_visit_plan() == 0
    visits = list(TenantVisit.objects.order_by("planned_on", "pk"))
    assert sorted(v.tenant_id for v in visits) == sorted(t.pk for t in tenants)
    working = set(working_days_between(TODAY, date(2026, 12, 31)))
    assert all(v.planned_on in working for v in visits)
    assert len({v.planned_on for v in visits}) == 6  # spread, not all on one day
    assert not any(date(2026, 10, 1) <= v.planned_on <= date(2026, 10, 7) for v in visits)
    counts = {person.pk: sum(v.visitor_id == person.pk for v in visits) for person in (desk, ops_manager)}
    assert counts == {desk.pk: 3, ops_manager.pk: 3}
    assert all(v.history.count() == 1 for v in visits)


def test_a_new_tenant_gets_its_visit_and_a_tenant_already_visited_gets_none(desk, ops_manager):
    """TEN-08: a tenant with a visit done this year needs no other; a tenant arriving later is
    added by the daily run, the turn going on."""
    first, second = TenantFactory(actor=desk), TenantFactory(actor=desk)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        assert visit_plan_generate() == 2
    visit = TenantVisit.objects.get(tenant=first)
    with time_machine.travel(datetime(2026, 3, 3, 10, tzinfo=SHANGHAI), tick=False):
        _report(visit, desk)
        late = TenantFactory(actor=desk)
        assert tasks.generate_visit_plan() == 1
        assert tasks.generate_visit_plan() == 0
    assert TenantVisit.objects.filter(tenant=late).count() == 1
    assert TenantVisit.objects.filter(tenant=first).count() == 1
    assert TenantVisit.objects.filter(tenant=second).count() == 1
    # Next year everybody is due again.
    with time_machine.travel(datetime(2027, 1, 4, 10, tzinfo=SHANGHAI), tick=False):
        assert visit_plan_generate() == 3


def test_only_operations_plans_and_a_past_year_is_refused(desk, gm, rep):
    """TEN-08, ORG-02: management reads, a sales rep has nothing to do here."""
    TenantFactory(actor=desk)
    for person in (gm, rep):
        with pytest.raises(PermissionDenied):
            visit_plan_generate(actor=person)
    with time_machine.travel(NOON, tick=False):
        for year in (2025, 2028):
            with pytest.raises(DomainError):
                visit_plan_generate(actor=desk, year=year)
    assert not TenantVisit.objects.exists()


def test_without_operations_staff_nothing_is_planned(operations, db, desk):
    """TEN-08: no visitor, no plan; the daily job does not fail over it."""
    TenantFactory(actor=desk)
    desk.is_active = False
    desk.save(update_fields=["is_active"])
    operations.head.is_active = False
    operations.head.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        visit_plan_generate()
    assert tasks.generate_visit_plan() == 0


def test_the_report_marks_the_visit_done_once_and_bad_input_writes_nothing(desk, ops_manager, gm):
    """TEN-08, ORG-03: report and outcome required, not in the future, once; management cannot."""
    TenantFactory(actor=desk)
    with time_machine.travel(NOON, tick=False):
        visit_plan_generate()
        visit = TenantVisit.objects.get()
        for values, field in (
            ({"report": "  "}, "report"),
            ({"done_at": NOON + timedelta(days=1)}, "done_at"),
            ({"done_at": datetime(1, 1, 2, tzinfo=SHANGHAI)}, "done_at"),
        ):
            with pytest.raises(DomainError) as error:
                _report(visit, desk, **values)
            assert error.value.field == field
        with pytest.raises(DomainError):
            tenant_visit_report(actor=desk, visit=visit, report="x", outcome="great")
        with pytest.raises(PermissionDenied):
            _report(visit, gm)
        visit.refresh_from_db()
        assert visit.done_at is None and visit.report == ""
        _report(visit, ops_manager)
        with pytest.raises(DomainError):
            _report(visit, desk, report="again")
    visit.refresh_from_db()
    assert visit.done_at == NOON and visit.reported_by == ops_manager and visit.report == "店长反馈客流平稳"
    assert visit.history.count() == 2


def test_the_annual_visit_rate_counts_distinct_current_tenants_visited(desk, ops_manager, settings):
    """TEN-08: visited (done in the year) / current tenants; twice the same tenant counts once, a
    visit done last year or a tenant moved out does not count; the target is a setting."""
    tenants = [TenantFactory(actor=desk) for _ in range(4)]
    with time_machine.travel(datetime(2025, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        visit_plan_generate()
        _report(TenantVisit.objects.get(tenant=tenants[3]), desk)
    with time_machine.travel(NOON, tick=False):
        visit_plan_generate()
        _report(TenantVisit.objects.get(tenant=tenants[0], planned_on__year=2026), desk)
        extra = TenantVisit.objects.create(tenant=tenants[0], planned_on=TODAY, visitor=desk)
        _report(extra, desk)
        _report(TenantVisit.objects.get(tenant=tenants[1], planned_on__year=2026), desk)
        gone = TenantFactory(actor=desk)
        gone_visit = TenantVisit.objects.create(tenant=gone, planned_on=TODAY, visitor=desk)
        _report(gone_visit, desk)
        tenant_move_out(actor=desk, tenant=gone)
        rate = visit_rate(2026)
    assert (rate.visited, rate.tenants, rate.percent, rate.target, rate.met) == (2, 4, Decimal("50.0"), 100, False)
    assert visit_rate(2025).visited == 1
    settings.TENANT_VISIT_RATE_TARGET = 50
    assert visit_rate(2026).met


def test_the_weekly_digest_run_twice_tells_each_visitor_and_the_manager_once(desk, ops_manager, operations):
    """JOB-04, JOB-09: each visitor gets their overdue tenant visits, the operations manager the
    team's; the second run in the same week sends nothing; a done visit is not overdue."""
    for _ in range(4):
        TenantFactory(actor=desk)
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), tick=False):
        visit_plan_generate()
    first = TenantVisit.objects.order_by("planned_on", "pk").first()
    monday = datetime(2026, 12, 28, 8, 40, tzinfo=SHANGHAI)
    with time_machine.travel(monday, tick=False):
        _report(first, desk)
        assert tasks.tenant_visit_digest() == 3  # two visitors and the manager's team digest
        assert tasks.tenant_visit_digest() == 0
    digests = Notification.objects.filter(kind="tenant_visit_digest")
    assert digests.filter(recipient=desk).count() == 1
    assert digests.filter(recipient=ops_manager).count() == 2  # their own, and the team's
    mine = digests.get(recipient=desk)
    team = digests.get(recipient=ops_manager, key__startswith="tenant-visit-digest-team")
    assert "overdue" in mine.title and first.tenant.shop_name not in mine.body
    assert desk.display_name in team.body and "days overdue" in team.body
    with time_machine.travel(monday + timedelta(days=7), tick=False):
        assert tasks.tenant_visit_digest() == 3  # a new week, a new digest
