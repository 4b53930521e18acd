"""The complaint flow (CMP-02, CMP-03, CMP-05): every transition, the illegal ones refused with
a clear message and nothing changed, who may do what, notifications, reopening, the ticket
page's buttons, and two people racing on the same step."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import translation

from complaints.models import Complaint, ComplaintEvent
from complaints.services.flow import (
    TRANSITIONS,
    complaint_act,
    complaint_assign,
    complaint_classify,
    complaint_close,
    complaint_investigate,
    complaint_propose,
    complaint_reopen,
)
from complaints.services.intake import complaint_log
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from tests.complaints.factories import CLOSING, ORDER, walk

pytestmark = pytest.mark.usefixtures("english")

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACTIONS = ["assign", "investigate", "propose", "inform", "close", "reopen"]
ACTION_DATA = {"department": None, "solution": "免费更换", "reason": "客户仍不满意", **CLOSING}


@pytest.fixture
def complaint(service, customer):
    return complaint_log(
        actor=service, channel="hotline", customer=customer, complainant_name="王主管", complainant_contact="139",
        text="传感器外壳开裂", category="quality",
    )  # fmt: skip


@pytest.fixture
def at(service, quality_head, quality, complaint):
    """at("investigating") → the complaint moved there through the services."""

    def move(status):
        return walk(complaint, status, service=service, handler=quality_head, department=quality)

    return move


def test_it_goes_through_every_step_with_who_and_when(
    service, quality_head, quality, complaint, rep, django_capture_on_commit_callbacks
):
    """CMP-02, CMP-03, CMP-05: received → assigned → investigating → solution proposed →
    customer informed → closed; each step recorded with who did it."""
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_assign(actor=service, complaint=complaint, department=quality)
    assert (complaint.status, complaint.department, complaint.responded_at is not None) == ("assigned", quality, True)
    complaint = complaint_investigate(actor=quality_head, complaint=complaint)
    complaint = complaint_propose(actor=quality_head, complaint=complaint, solution="免费更换十二件")
    assert complaint.solution_proposed_at is not None
    complaint = complaint_act(actor=service, complaint=complaint, action="inform", note="电话告知")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_close(actor=service, complaint=complaint, **CLOSING)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.satisfaction == 4 and complaint.closed_at is not None
    assert (complaint.root_cause, complaint.preventive_action) == (CLOSING["root_cause"], CLOSING["preventive_action"])
    steps = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("from_status", "to_status", "user"))
    assert steps == [
        ("", "received", service.pk),
        ("received", "assigned", service.pk),
        ("assigned", "investigating", quality_head.pk),
        ("investigating", "solution_proposed", quality_head.pk),
        ("solution_proposed", "customer_informed", service.pk),
        ("customer_informed", "closed", service.pk),
    ]
    assert all(event.at for event in complaint.events.all())
    # The department head hears of the assignment, the customer's owner of the closing.
    assert Notification.objects.filter(recipient=quality_head, key__startswith="complaint-assigned:").count() == 1
    closed = Notification.objects.get(recipient=rep, key__startswith="complaint-closed:")
    assert complaint.reference in closed.title


ILLEGAL = [(status, action) for status in ORDER for action in ACTIONS if action not in TRANSITIONS.get(status, {})]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_an_illegal_transition_is_refused_and_changes_nothing(at, service, quality, status, action):
    """CMP-03: every transition the table does not allow."""
    complaint = at(status)
    before = Complaint.objects.filter(pk=complaint.pk).values().get()
    events = ComplaintEvent.objects.count()
    data = {**ACTION_DATA, "department": quality}
    with pytest.raises(DomainError, match=r"^A complaint that is .+ cannot be "):
        complaint_act(actor=service, complaint=complaint, action=action, **data)
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == before
    assert ComplaintEvent.objects.count() == events


def test_the_refusal_says_what_to_do_first(complaint, service):
    """CMP-03"""
    with pytest.raises(DomainError) as error:
        complaint_close(actor=service, complaint=complaint, **CLOSING)
    assert error.value.message == "A complaint that is received cannot be closed; assign it first."


def test_closing_needs_the_satisfaction_the_root_cause_and_the_preventive_action(at, service):
    """CMP-03, CMP-05"""
    complaint = at("customer_informed")
    for overrides, message in [
        ({"satisfaction": None}, "satisfaction"),
        ({"satisfaction": 6}, "from 1 to 5"),
        ({"satisfaction": 0}, "from 1 to 5"),
        ({"root_cause": "  "}, "root cause"),
        ({"preventive_action": ""}, "preventive action"),
    ]:
        with pytest.raises(DomainError, match=message):
            complaint_close(actor=service, complaint=complaint, **{**CLOSING, **overrides})
    complaint.refresh_from_db()
    assert complaint.status == "customer_informed" and complaint.satisfaction is None


def test_assignment_needs_a_department_and_proposal_needs_a_solution(at, service, quality_head):
    """CMP-02, CMP-03"""
    complaint = at("received")
    with pytest.raises(DomainError, match="responsible department"):
        complaint_assign(actor=service, complaint=complaint, department=None)
    complaint = at("investigating")
    with pytest.raises(DomainError, match="proposed solution"):
        complaint_propose(actor=quality_head, complaint=complaint, solution=" ")


def test_a_dissatisfied_customer_reopens_it_with_new_targets(service, quality_head, quality, customer):
    """CMP-03, CMP-04: closed → investigating with a reason; the targets start again from now."""
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)):
        complaint = complaint_log(
            actor=service, channel="hotline", customer=customer, complainant_name="王主管", complainant_contact="139",
            text="传感器外壳开裂", category="quality",
        )  # fmt: skip
        complaint = walk(complaint, "closed", service=service, handler=quality_head, department=quality)
    with pytest.raises(DomainError, match="why"):
        complaint_reopen(actor=service, complaint=complaint, reason="")
    now = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)  # a Tuesday
    with time_machine.travel(now, tick=False):
        complaint = complaint_reopen(actor=service, complaint=complaint, reason="问题再次出现")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == ("investigating", 1)
    assert complaint.response_due_at == datetime(2026, 11, 26, 16, 0, tzinfo=SHANGHAI)  # 24 working hours
    assert complaint.solution_due_at == datetime(2026, 12, 1, 18, 0, tzinfo=SHANGHAI)  # 5 working days
    assert complaint.responded_at is None and complaint.closed_at is None and complaint.satisfaction is None
    assert complaint.events.last().note == "问题再次出现"
    # The new round goes on as before.
    complaint = complaint_propose(actor=quality_head, complaint=complaint, solution="更换批次")
    assert complaint.responded_at is not None


def test_classification_moves_the_targets_when_the_severity_changes(service, customer):
    """CMP-02, CMP-04"""
    received = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI), tick=False):
        complaint = complaint_log(
            actor=service, channel="email", customer=customer, complainant_name="王", complainant_contact="",
            text="送货迟到", received_at=received,
        )  # fmt: skip
        complaint = complaint_classify(actor=service, complaint=complaint, category="delivery", severity="urgent")
    complaint.refresh_from_db()
    assert (complaint.category, complaint.severity) == ("delivery", "urgent")
    assert complaint.solution_due_at == datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)
    with pytest.raises(DomainError, match="Unknown category"):
        complaint_classify(actor=service, complaint=complaint, category="weather", severity="urgent")


def test_who_may_move_it(at, complaint, service, quality_head, inspector, safety_staff, rep, gm, quality):
    """CMP-03, ORG-02: customer service and the responsible department handle; the owner rep,
    another department and read-only management do not; only customer service assigns."""
    with pytest.raises(PermissionDenied):
        complaint_assign(actor=quality_head, complaint=complaint, department=quality)
    complaint = at("assigned")
    for outsider in (rep, gm, safety_staff):
        with pytest.raises(PermissionDenied):
            complaint_investigate(actor=outsider, complaint=complaint)
    complaint = complaint_investigate(actor=inspector, complaint=complaint)  # a member of the department
    assert complaint.status == "investigating"


def test_the_ticket_page_offers_the_steps_the_user_may_take(client_for, at, service, quality_head, gm, rep):
    """CMP-03: buttons for the allowed steps only; management reads."""
    complaint = at("assigned")
    url = f"/complaints/{complaint.pk}/"
    html = client_for(quality_head).get(url).content.decode()
    assert 'id="form-investigate"' in html and 'id="form-close"' not in html
    assert 'id="form-assign"' not in html  # only customer service assigns
    assert 'id="form-assign"' in client_for(service).get(url).content.decode()
    for reader in (gm, rep):
        html = client_for(reader).get(url).content.decode()
        assert 'id="complaint-actions"' not in html and complaint.reference in html
    assert 'id="audit-history"' in html and 'id="complaint-steps"' in html


def test_a_step_from_the_page_and_an_illegal_one(client_for, at, service, quality_head):
    """CMP-03: the page posts a step; a step the flow does not allow shows the message and changes nothing."""
    complaint = at("assigned")
    client = client_for(quality_head)
    response = client.post(f"/complaints/{complaint.pk}/act/investigate/", {"investigate-note": "现场核查"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "investigating"
    response = client.post(f"/complaints/{complaint.pk}/act/inform/", {})
    assert response.status_code == 400
    assert "cannot be marked as customer informed" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "investigating"
    # A form error is shown next to the field, nothing changed.
    response = client.post(f"/complaints/{complaint.pk}/act/propose/", {"propose-solution": ""})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == "investigating"


def test_management_cannot_post_a_step(client_for, at, gm):
    """ORG-02: read-only."""
    complaint = at("assigned")
    response = client_for(gm).post(f"/complaints/{complaint.pk}/act/investigate/", {})
    assert response.status_code == 400
    assert "Only customer service and the responsible department" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "assigned"


def test_the_ticket_page_escapes_what_the_complainant_wrote(client_for, service, customer):
    """CMP-01: script tags rendered inert."""
    complaint = complaint_log(
        actor=service, channel="web", customer=customer, complainant_name="<b>x</b>", complainant_contact="",
        text="<script>alert('x')</script>",
    )  # fmt: skip
    html = client_for(service).get(f"/complaints/{complaint.pk}/").content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_on_the_same_step_one_wins(service, quality_head, inspector, quality, customer):
    """CMP-03: two database connections start the investigation at once; exactly one wins."""
    complaint = complaint_log(
        actor=service, channel="hotline", customer=customer, complainant_name="王", complainant_contact="", text="x"
    )
    complaint = complaint_assign(actor=service, complaint=complaint, department=quality)
    barrier = threading.Barrier(2)
    results = []

    def investigate(user):
        try:
            translation.activate("en")
            barrier.wait()
            complaint_investigate(actor=user, complaint=Complaint.objects.get(pk=complaint.pk))
            results.append("ok")
        except DomainError as error:
            results.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=investigate, args=(user,)) for user in (quality_head, inspector)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (
        sorted(results)[0]
        == "A complaint that is investigating cannot be put under investigation; it is already past that step."
    )
    assert results.count("ok") == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, to_status="investigating").count() == 1
