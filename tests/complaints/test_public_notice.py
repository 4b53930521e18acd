"""A complaint from the public form reaches customer service at once (CMP-01, JOB-10)."""

import pytest

from crm_project.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"name": "周女士", "contact": "13800138000", "company": "宁波贸易", "text": "网上下单少发了一件。"}


def test_customer_service_is_told_of_a_public_complaint(
    client, service, customer_service_department, quality_head, django_capture_on_commit_callbacks
):
    """CMP-01, JOB-10: every active customer-service person gets an inbox line that links to the
    complaint; nobody else is told, a deactivated colleague neither."""
    colleague = UserFactory(username="service2", department=customer_service_department, roles=service.roles)
    UserFactory(username="gone", department=customer_service_department, roles=service.roles, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complaints/public/new/", GOOD)
    assert response.status_code == 200 and 'id="status-link"' in response.content.decode()
    notices = Notification.objects.filter(kind="complaint").order_by("recipient__username")
    assert [notice.recipient for notice in notices] == [service, colleague]
    complaint_url = notices[0].url
    assert complaint_url.startswith("/complaints/") and "周女士" in notices[0].body
    assert client.get(complaint_url).status_code == 302  # the link is for staff, behind the login


def test_the_api_tells_customer_service_too(client, service, django_capture_on_commit_callbacks):
    """CMP-01"""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/public/complaints/", GOOD, content_type="application/json")
    assert response.status_code == 201
    assert Notification.objects.filter(recipient=service, kind="complaint").count() == 1
