"""Complaint intake (CMP-01): staff from any channel, references, targets on the working-day
calendar (CMP-04), status tokens, matching a public complaint to a customer, and the
complaint on the customer's timeline and in the grade proposal."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint, ComplaintEvent, ServiceStandard
from complaints.services.common import token_hash
from complaints.services.intake import (
    complaint_for_token,
    complaint_log,
    complaint_match_customer,
    complaint_submit_public,
)
from complaints.timeline import complaint_counts, complaint_entries
from crm_project.core.errors import DomainError, PermissionDenied
from customers.services.grading import complaint_counts as grading_complaint_counts
from customers.timeline import customer_timeline, providers
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.usefixtures("english")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _log(actor, **overrides):
    data = {
        "actor": actor,
        "channel": "hotline",
        "complainant_name": "王主管",
        "complainant_contact": "13900000001",
        "text": "传感器外壳开裂",
    }
    data.update(overrides)
    return complaint_log(**data)


def test_it_logs_a_complaint_with_reference_targets_step_and_status_token(service, customer, contact, time_machine):
    """CMP-01, CMP-03, CMP-04: the reference carries the year it was received in."""
    time_machine.move_to("2026-11-16 10:00 +0800")
    complaint = _log(service, customer=customer, contact=contact, category="quality")
    assert re.fullmatch(r"TS-2026-\d{6}", complaint.reference)
    assert complaint.status == "received" and complaint.received_by == service
    assert complaint.complainant_company == customer.name
    assert complaint.response_due_at > complaint.received_at and complaint.solution_due_at > complaint.received_at
    event = ComplaintEvent.objects.get(complaint=complaint)
    assert (event.from_status, event.to_status, event.user) == ("", "received", service)
    # Only the token's hash is stored; the raw token finds the complaint.
    assert complaint.status_token not in complaint.status_token_hash
    assert complaint.status_token_hash == token_hash(complaint.status_token)
    assert complaint_for_token(complaint.status_token) == complaint
    assert complaint_for_token("not-a-token") is None


def test_references_are_unique_and_increasing(service):
    """CMP-01"""
    first, second = _log(service), _log(service)
    assert first.reference != second.reference
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_it_counts_the_targets_in_working_hours_and_days_on_the_2026_calendar(service):
    """CMP-04, CAL-01: received Wednesday 30 September 2026 at 15:00; 1–7 October are holidays
    and Saturday 10 October is a make-up working day. 24 working hours (09:00–18:00) run out
    on Saturday 10 October at 12:00; 5 working days end on Tuesday 13 October at 18:00; an
    urgent complaint's solution is due at the end of the next working day, 8 October, and its
    first response no later than that."""
    received = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 9, 30, 15, 30, tzinfo=SHANGHAI), tick=False):
        normal = _log(service, received_at=received)
        urgent = _log(service, received_at=received, severity="urgent")
    assert normal.response_due_at == datetime(2026, 10, 10, 12, 0, tzinfo=SHANGHAI)
    assert normal.solution_due_at == datetime(2026, 10, 13, 18, 0, tzinfo=SHANGHAI)
    assert urgent.response_due_at == datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)
    assert urgent.solution_due_at == datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("severity", ["normal", "urgent"])
def test_the_first_response_is_never_due_after_the_solution(service, severity):
    """CMP-04: seen before the fix — an urgent complaint received Wednesday 2 December 2026 at
    15:00 had its response due 4 December 15:00 but its solution 3 December 18:00. Checked for
    every hour of a fortnight, holidays and weekends included."""
    start = datetime(2026, 9, 28, 0, 0, tzinfo=SHANGHAI)
    for hour in range(0, 14 * 24, 5):
        received = start + timedelta(hours=hour)
        with time_machine.travel(received + timedelta(minutes=1), tick=False):
            complaint = _log(service, received_at=received, severity=severity)
        assert complaint.response_due_at <= complaint.solution_due_at, received


def test_the_service_standard_is_a_setting(service):
    """CMP-04: an administrator changes the targets without a code change."""
    ServiceStandard.objects.filter(severity="normal").update(response_hours=4, solution_days=2)
    received = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday
    with time_machine.travel(datetime(2026, 11, 23, 10, 5, tzinfo=SHANGHAI), tick=False):
        complaint = _log(service, received_at=received)
    assert complaint.response_due_at == datetime(2026, 11, 23, 14, 0, tzinfo=SHANGHAI)
    assert complaint.solution_due_at == datetime(2026, 11, 25, 18, 0, tzinfo=SHANGHAI)


def test_sales_logs_complaints_only_for_customers_it_sees(rep, customer, other_customer):
    """CMP-01, ORG-02"""
    assert _log(rep, customer=customer).customer == customer
    with pytest.raises(DomainError, match="Unknown customer"):
        _log(rep, customer=other_customer)
    with pytest.raises(PermissionDenied, match="customer service"):
        _log(rep)
    assert Complaint.objects.count() == 1


def test_management_and_other_departments_cannot_log(gm, outsider, customer):
    """CMP-01, ORG-02: management is read-only."""
    with pytest.raises(PermissionDenied):
        _log(gm, customer=customer)
    with pytest.raises(PermissionDenied):
        _log(outsider)
    assert not Complaint.objects.exists()


def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(service, customer, contact, other_customer):
    """CMP-01"""
    cases = [
        ({"text": "   "}, "Please fill in the complaint"),
        ({"complainant_name": ""}, "Please fill in the complainant"),
        ({"text": "x" * 5001}, "at most 5000 characters"),
        ({"severity": "catastrophic"}, "Unknown severity"),
        ({"customer": other_customer, "contact": contact}, "must belong to the customer"),
        ({"received_at": datetime(2099, 1, 1, tzinfo=SHANGHAI)}, "future"),
    ]
    for overrides, message in cases:
        with pytest.raises(DomainError, match=message):
            _log(service, **overrides)
    assert not Complaint.objects.exists()


def test_the_staff_form_logs_a_complaint_and_shows_the_status_link_once(client_for, service, customer, contact):
    """CMP-01"""
    client = client_for(service)
    page = client.get(f"/complaints/new/?customer={customer.pk}")
    assert page.status_code == 200 and customer.name in page.content.decode()  # the chosen customer
    # its contacts come from the contact picker, which follows the chosen customer
    assert f'data-picker="/pickers/intake-contacts/?customer={customer.pk}"' in page.content.decode()
    found = client.get("/pickers/intake-contacts/", {"customer": customer.pk, "q": ""}).json()["results"]
    assert {"id": contact.pk, "text": contact.name} in found
    response = client.post(
        "/complaints/new/",
        {"channel": "email", "customer": customer.pk, "contact": contact.pk, "text": "送货迟到", "severity": "normal"},
        follow=True,
    )
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == f"/complaints/{complaint.pk}/"
    html = response.content.decode()
    assert complaint.reference in html and "/complaints/public/status/" in html
    assert complaint.complainant_name == contact.name  # taken from the contact person


def test_the_staff_form_shows_errors_and_stores_nothing(client_for, service):
    """CMP-01"""
    response = client_for(service).post("/complaints/new/", {"channel": "hotline", "text": "", "severity": "normal"})
    assert response.status_code == 200
    assert "Who complains?" in response.content.decode()
    assert not Complaint.objects.exists()


def test_only_intake_staff_open_the_form(client_for, outsider, gm, rep):
    """CMP-01, ORG-02"""
    assert client_for(outsider).get("/complaints/new/").status_code == 403
    assert client_for(gm).get("/complaints/new/").status_code == 403
    assert client_for(rep).get("/complaints/new/").status_code == 200


def test_customer_service_matches_a_public_complaint_to_a_customer(service, rep, customer, contact):
    """CMP-01: a public complaint has no customer until customer service matches it."""
    complaint, _token = complaint_submit_public(
        name="周女士", contact="13800138000", company="华东精密", text="少发一件", address="198.51.100.1"
    )
    assert complaint.customer is None and complaint.channel == "web" and complaint.submitted_from == "198.51.100.1"
    with pytest.raises(PermissionDenied):
        complaint_match_customer(actor=rep, complaint=complaint, customer=customer)
    complaint = complaint_match_customer(actor=service, complaint=complaint, customer=customer, contact=contact)
    complaint.refresh_from_db()
    assert (complaint.customer, complaint.contact) == (customer, contact)
    assert complaint.events.last().note.startswith("Matched to customer")


def test_the_match_form_on_the_page(client_for, service, customer):
    """CMP-01"""
    complaint, _token = complaint_submit_public(name="周女士", contact="138", company="", text="少发", address=None)
    client = client_for(service)
    response = client.post(f"/complaints/{complaint.pk}/match/", {"match-customer": customer.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.customer == customer


def test_complaints_appear_on_the_customer_timeline_in_one_query(client_for, rep, service, customer):
    """CMP-01, CUS-08: the customer's complaints on its timeline; one query whatever their number."""
    assert complaint_entries in providers
    _log(service, customer=customer, text="外壳开裂十二件")
    with CaptureQueriesContext(connection) as few:
        complaint_entries(customer, 50)
    for index in range(10):
        ComplaintFactory(customer=customer, text=f"第{index}次")
    with CaptureQueriesContext(connection) as many:
        entries = complaint_entries(customer, 50)
    assert len(few) == len(many) == 1
    assert len(entries) == 11
    assert any(entry.kind == "complaint" for entry in customer_timeline(customer))
    html = client_for(rep).get(f"/customers/{customer.pk}/").content.decode()
    assert 'data-kind="complaint"' in html and "外壳开裂十二件" in html


def test_grading_counts_the_customers_complaints_of_the_last_twelve_months(customer, other_customer):
    """CUS-03, CMP-01: the grade proposal's complaints component."""
    ComplaintFactory(customer=customer, received_at=datetime(2026, 3, 1, 10, tzinfo=SHANGHAI))
    ComplaintFactory(customer=customer, received_at=datetime(2026, 10, 1, 10, tzinfo=SHANGHAI))
    ComplaintFactory(customer=customer, received_at=datetime(2025, 10, 31, 10, tzinfo=SHANGHAI))
    ComplaintFactory(customer=other_customer, received_at=datetime(2026, 5, 1, 10, tzinfo=SHANGHAI))
    since = date(2025, 11, 1)
    assert complaint_counts([customer.pk, other_customer.pk], since) == {customer.pk: 2, other_customer.pk: 1}
    assert grading_complaint_counts([customer.pk], since) == {customer.pk: 2}
