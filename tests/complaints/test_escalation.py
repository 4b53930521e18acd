"""Service-standard breaches (CMP-04, JOB-06, JOB-09): escalated to the department head once
per complaint, target and round — even when the job runs twice or two workers run it at once —
and the time left shown on the ticket page."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from complaints.models import Escalation
from complaints.services.escalation import complaint_escalate_breaches
from complaints.services.flow import complaint_reopen
from complaints.services.intake import complaint_log
from complaints.tasks import escalate_breaches
from crm_project.core.schedules import SCHEDULES
from crm_project.notifications.models import Notification
from tests.complaints.factories import ComplaintFactory, walk

pytestmark = pytest.mark.usefixtures("english")

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def overdue(quality, quality_head):
    """Assigned to Quality, responded to, its solution target passed an hour ago."""
    now = timezone.now()
    return ComplaintFactory(
        status="assigned", department=quality, received_at=now - timedelta(days=10),
        responded_at=now - timedelta(days=9), response_due_at=now - timedelta(days=8),
        solution_due_at=now - timedelta(hours=1),
    )  # fmt: skip


def test_the_job_escalates_a_breach_once_however_often_it_runs(overdue, quality_head):
    """CMP-04, JOB-06, JOB-09: run twice → one escalation, one notification, to the head."""
    assert escalate_breaches() == 1
    assert escalate_breaches() == 0
    escalation = Escalation.objects.get()
    assert (escalation.complaint, escalation.target, escalation.round) == (overdue, "solution", 0)
    assert escalation.escalated_to == quality_head
    notification = Notification.objects.get()
    assert notification.recipient == quality_head
    assert notification.key == f"complaint-escalation:{overdue.pk}:solution:0"
    assert overdue.reference in notification.title
    assert notification.url == f"/complaints/{overdue.pk}/"


def test_response_and_solution_breaches_are_separate(quality, quality_head):
    """CMP-04: never responded and never solved — two breaches."""
    now = timezone.now()
    complaint = ComplaintFactory(
        department=quality, received_at=now - timedelta(days=10), response_due_at=now - timedelta(days=8),
        solution_due_at=now - timedelta(days=1),
    )  # fmt: skip
    assert complaint_escalate_breaches() == 2
    assert set(Escalation.objects.filter(complaint=complaint).values_list("target", flat=True)) == {
        "response",
        "solution",
    }
    assert Notification.objects.filter(recipient=quality_head).count() == 2


def test_targets_met_or_not_yet_due_are_not_escalated(quality, quality_head):
    """CMP-04"""
    now = timezone.now()
    past = now - timedelta(days=1)
    ComplaintFactory(
        department=quality, response_due_at=now + timedelta(hours=2), solution_due_at=now + timedelta(days=3)
    )
    ComplaintFactory(status="solution_proposed", department=quality, responded_at=past - timedelta(days=2),
                     response_due_at=past, solution_due_at=past)  # fmt: skip
    ComplaintFactory(status="closed", department=quality, responded_at=past - timedelta(days=2), response_due_at=past,
                     solution_due_at=past, root_cause="x", preventive_action="y")  # fmt: skip
    assert complaint_escalate_breaches() == 0
    assert not Notification.objects.exists()


def test_without_a_department_head_management_hears_of_it(gm):
    """CMP-04: a complaint nobody was assigned goes to general management."""
    now = timezone.now()
    complaint = ComplaintFactory(response_due_at=now - timedelta(hours=1), solution_due_at=now + timedelta(days=2))
    assert complaint_escalate_breaches() == 1
    notification = Notification.objects.get()
    assert notification.recipient == gm
    assert notification.key == f"complaint-escalation:{complaint.pk}:response:0"


def test_a_reopened_complaint_can_breach_again(service, quality, quality_head, customer):
    """CMP-03, CMP-04: a new round, a new escalation."""
    complaint = complaint_log(
        actor=service, channel="hotline", customer=customer, complainant_name="王", complainant_contact="", text="x"
    )
    complaint = walk(complaint, "closed", service=service, handler=quality_head, department=quality)
    Escalation.objects.create(complaint=complaint, target="solution", round=0)
    complaint_reopen(actor=service, complaint=complaint, reason="仍不满意")
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert complaint_escalate_breaches() == 2  # no response and no solution in round 1
        assert complaint_escalate_breaches() == 0
    assert set(Escalation.objects.filter(round=1).values_list("target", flat=True)) == {"response", "solution"}


def test_the_job_is_scheduled_every_ten_minutes():
    """JOB-06: checked at least every 15 minutes."""
    schedule = next(s for s in SCHEDULES if s.task == "complaints.escalate_breaches")
    assert schedule.minute == "*/10" and schedule.hour == "*"


def test_the_ticket_page_shows_the_time_left_and_the_breach(client_for, service, customer, overdue):
    """CMP-04: time left to each target, or how long overdue."""
    received = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # Monday
    with time_machine.travel(datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI), tick=False):
        fresh = complaint_log(
            actor=service, channel="hotline", customer=customer, complainant_name="王", complainant_contact="",
            text="x", received_at=received,
        )  # fmt: skip
        html = client_for(service).get(f"/complaints/{fresh.pk}/").content.decode()
    # Response due Wednesday 16:00 (24 working hours), solution Monday 30 November 18:00.
    assert 'data-target="response" data-state="running"' in html and "2 d 5 h left" in html
    assert 'data-target="solution" data-state="running"' in html and "7 d 7 h left" in html
    complaint_escalate_breaches()
    html = client_for(service).get(f"/complaints/{overdue.pk}/").content.decode()
    assert 'data-target="solution" data-state="overdue"' in html and "overdue by 1 h" in html
    assert 'data-target="response" data-state="met"' in html
    assert 'id="escalations"' in html and "quality_head" in html


def test_the_overdue_filter_on_the_list(client_for, service, overdue, customer):
    """CMP-04"""
    ComplaintFactory(customer=customer)
    html = client_for(service).get("/complaints/?overdue=on").content.decode()
    assert overdue.reference in html and html.count('data-reference="') == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_escalate_once(quality, quality_head):
    """JOB-09: the unique escalation row decides; the loser notifies nobody."""
    now = timezone.now()
    complaint = ComplaintFactory(
        status="assigned", department=quality, responded_at=now - timedelta(days=2),
        response_due_at=now - timedelta(days=1), solution_due_at=now - timedelta(minutes=5),
    )  # fmt: skip
    barrier = threading.Barrier(2)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(complaint_escalate_breaches())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert Escalation.objects.filter(complaint=complaint).count() == 1
    assert Notification.objects.filter(key__startswith=f"complaint-escalation:{complaint.pk}:").count() == 1
