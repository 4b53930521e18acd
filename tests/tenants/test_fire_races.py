"""TEN-07, JOB-09: two inspectors at once on the same unit or letter — exactly one wins."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from crm_project.core.errors import DomainError
from tenants.models import FireInspection, FireInspectionNotice, InspectionResult, Rectification
from tenants.services.fire import issue_monthly_notice, record_result, reinspect

from .factories import TenantFactory


def _race(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_results_and_two_reinspections_racing(desk, safety_staff):
    """TEN-07: one first result per unit, one letter; one re-inspection closes it."""
    tenant = TenantFactory(actor=desk)
    issue_monthly_notice(month=timezone.localdate(), actor=desk)
    inspection = FireInspection.objects.get()

    def fail(actor):
        return lambda: record_result(
            actor=actor, inspection=inspection, tenant=tenant, items=["wiring"], passed=False, findings="插线板超负荷"
        )

    assert _race(fail(desk), fail(safety_staff)) == ["ok", "refused"]
    assert InspectionResult.objects.count() == 1 and Rectification.objects.count() == 1
    letter = Rectification.objects.get()

    def close(actor):
        return lambda: reinspect(actor=actor, rectification=letter, passed=True)

    assert _race(close(desk), close(safety_staff)) == ["ok", "refused"]
    assert Rectification.objects.get().status == "rectified"
    assert InspectionResult.objects.filter(reinspects=letter).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_notice_runs_racing_issue_one_notice_per_tenant(desk):
    """JOB-08, JOB-09: the beat job and a person on the page at the same moment."""
    for _ in range(3):
        TenantFactory(actor=desk)
    month = timezone.localdate()
    assert _race(lambda: issue_monthly_notice(month=month), lambda: issue_monthly_notice(month=month, actor=desk)) == [
        "ok",
        "ok",
    ]
    assert FireInspection.objects.count() == 1 and FireInspectionNotice.objects.count() == 3
