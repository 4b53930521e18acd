"""Redis down loses nothing: with the cache and the broker gone, a signature, a complaint
assignment and the public complaint form still answer 2xx, their e-mails wait in the outbox,
and once Redis is back the outbox job sends each of them once (JOB-09, JOB-10, EXP-07, CMP-01,
CMP-02). Each test runs a Redis of its own (tests/redis_server.py), stopped mid-test, or points
at an address where no Redis listens; what a request does after its commit runs as it would in
production (django_capture_on_commit_callbacks)."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook

from complaints.models import Complaint
from complaints.services.intake import complaint_log
from crm_project.accounts.roles import Role
from crm_project.core.models import RateLimitCount
from crm_project.notifications.models import EmailState, Notification
from customers.models import ImportBatch
from expenses.models import StatementStatus
from expenses.services.statements import statement_create, statement_submit
from tests.customers.factories import CustomerFactory
from tests.expenses.factories import SEPTEMBER, ProductFactory, fee_customer, fee_standard, purchase
from tests.factories import PASSWORD, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"name": "周女士", "contact": "13800138000", "company": "宁波贸易", "text": "网上下单少发了一件。"}


def run_outbox() -> None:
    call_command("run_job", "notifications.send_due_emails", stdout=io.StringIO())


@pytest.fixture
def submitted_statement(rep, clerk, manager, time_machine):
    time_machine.move_to("2026-10-09 10:00 +0800")
    product = ProductFactory(code="P-MOD-IMP", name="进口模块")
    fee_standard(product)
    purchase(fee_customer(rep), product)
    return statement_submit(actor=rep, statement=statement_create(actor=rep, month=SEPTEMBER))


@pytest.fixture
def received_complaint(rep):
    service_department = DepartmentFactory(code="customer-service", name_zh="客服部", name_en="Customer Service")
    service = UserFactory(username="service", department=service_department, roles=[Role.CUSTOMER_SERVICE])
    quality = DepartmentFactory(code="quality", name_zh="质量部", name_en="Quality")
    quality.head = UserFactory(username="quality_head", department=quality, roles=[Role.SPECIALIST])
    quality.save(update_fields=["head"])
    complaint = complaint_log(
        actor=service, channel="hotline", customer=CustomerFactory(owner=rep), complainant_name="王主管",
        complainant_contact="139", text="传感器外壳开裂", category="quality",
    )  # fmt: skip
    return complaint, service, quality.head


def test_a_signature_an_assignment_and_a_public_complaint_survive_redis_going_down(
    own_redis, client_for, submitted_statement, received_complaint, clerk, manager, django_capture_on_commit_callbacks
):
    """JOB-09, JOB-10, EXP-07, CMP-01, CMP-02: 2xx while Redis is down, the e-mails pending; sent
    once when Redis is back and the outbox job runs; a second run sends nothing."""
    complaint, service, quality_head = received_complaint
    run_outbox()  # what the setup notified goes out while Redis is up
    mail.outbox.clear()

    own_redis.stop()

    with django_capture_on_commit_callbacks(execute=True):
        signed = client_for(clerk).post(f"/api/v1/statements/{submitted_statement.pk}/sign/")
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == StatementStatus.CLERK_SIGNED
    with django_capture_on_commit_callbacks(execute=True):
        assigned = client_for(service).post(
            f"/api/v1/complaints/{complaint.pk}/assign/", {"department": "quality"}, content_type="application/json"
        )
    assert assigned.status_code == 200, assigned.content
    with django_capture_on_commit_callbacks(execute=True):
        public = Client().post("/complaints/public/new/", PUBLIC)
    assert public.status_code == 200
    assert Complaint.objects.filter(channel="web").count() == 1
    # The limiter counted the submission in PostgreSQL instead.
    assert RateLimitCount.objects.get(key__startswith="complaint-public:").count == 1
    # Logging in (django-axes, the per-address throttle) works too; the health check says what is wrong.
    assert Client().post("/login/", {"username": "manager", "password": PASSWORD}).status_code == 302
    health = Client().get("/healthz")
    assert (health.status_code, health.json()["redis"]) == (503, "fail")

    waiting = Notification.objects.filter(email_state=EmailState.PENDING)
    assert {(n.kind, n.recipient) for n in waiting} >= {("statement", manager), ("complaint", quality_head)}
    assert mail.outbox == []
    expected = sorted([n.recipient.email] for n in waiting)

    own_redis.start()  # the same port
    run_outbox()
    assert sorted(message.to for message in mail.outbox) == expected
    assert not Notification.objects.exclude(email_state__in=[EmailState.SENT, EmailState.NONE]).exists()
    run_outbox()
    assert len(mail.outbox) == len(expected)


def test_a_large_import_while_the_broker_is_down_fails_with_a_message_instead_of_waiting_for_ever(
    redis_down, client_for, clerk, settings, tmp_path, django_capture_on_commit_callbacks
):
    """CUS-12, JOB-09: the check cannot be queued, so the batch says so."""
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    workbook = Workbook()
    workbook.active.append(["customer", "product", "month", "quantity", "amount"])
    workbook.active.append(["C-1", "P-1", "2026-09", 1, 100])
    workbook.active.append(["C-1", "P-2", "2026-09", 1, 100])  # more rows than the request reads
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("purchases.xlsx", buffer.getvalue(), content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post("/customers/imports/new/", {"kind": "purchases", "file": upload})
    assert response.status_code in (200, 302)
    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    assert "Background processing is unavailable" in batch.failure


def test_survey_invitations_queued_while_the_broker_is_down_are_sent_by_the_periodic_job(
    redis_down, rep, django_capture_on_commit_callbacks
):
    """SUR-01, JOB-05, JOB-09"""
    from crm_project.surveys.services.rounds import survey_round_start
    from tests.surveys.factories import customer_with_contacts, make_survey

    customer_with_contacts(rep, contacts=2)
    with django_capture_on_commit_callbacks(execute=True):
        survey_round = survey_round_start(actor=None, survey=make_survey(), name="By hand")
    assert mail.outbox == []
    assert survey_round.recipients.filter(sent_at__isnull=True).count() == 2
    call_command("run_job", "surveys.send_unsent_survey_invitations", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    call_command("run_job", "surveys.send_unsent_survey_invitations", stdout=io.StringIO())
    assert len(mail.outbox) == 2
