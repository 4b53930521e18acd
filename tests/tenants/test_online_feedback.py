"""TEN-11: online feedback is logged as a request with its source link; the public reply is drafted
by the desk, reviewed by the department concerned, then published — never unreviewed."""

import pytest
from django.urls import reverse

from crm_project.core.errors import DomainError, PermissionDenied
from tenants.models import OnlineReply
from tenants.services.replies import reply_draft, reply_publish, reply_review

from .factories import RequestFactory

pytestmark = pytest.mark.django_db
WEIBO = "https://weibo.com/demo/123"


@pytest.fixture
def feedback(desk, tenant, engineering):
    return RequestFactory(
        actor=desk, tenant=tenant, category="suggestion", channel="social", source_url=WEIBO,
        description="建议延长周末营业时间", department=engineering,
    )  # fmt: skip


def test_a_reply_is_published_only_after_the_departments_review(feedback, desk, engineer, safety_staff):
    """TEN-11: publishing unreviewed is refused; another department may not review; a changed text
    needs a new review."""
    reply_draft(actor=desk, request=feedback, text="感谢建议，我们将研究。")
    with pytest.raises(DomainError, match="not reviewed"):
        reply_publish(actor=desk, request=feedback)
    with pytest.raises(PermissionDenied):
        reply_review(actor=safety_staff, request=feedback)
    reply_review(actor=engineer, request=feedback)
    reply_draft(actor=desk, request=feedback, text="感谢建议，周末营业时间将延长一小时。")
    assert OnlineReply.objects.get().reviewed_at is None
    with pytest.raises(DomainError):
        reply_publish(actor=desk, request=feedback)
    reply_review(actor=engineer, request=feedback)
    reply = reply_publish(actor=desk, request=feedback)
    assert reply.published_at and reply.published_by == desk
    with pytest.raises(DomainError):
        reply_draft(actor=desk, request=feedback, text="改一下")


def test_only_online_feedback_gets_a_public_reply_and_a_source_link(desk, tenant):
    """TEN-11: a hotline request has no public reply and takes no source link."""
    request = RequestFactory(actor=desk, tenant=tenant, category="inquiry")
    with pytest.raises(DomainError):
        reply_draft(actor=desk, request=request, text="回复")
    with pytest.raises(DomainError):
        RequestFactory(actor=desk, tenant=tenant, category="inquiry", channel="hotline", source_url=WEIBO)


def test_the_reply_steps_on_the_request_page(client, feedback, desk, engineer, gm):
    """TEN-11, ORG-02: the page drafts, the department reviews, the desk publishes; management's
    POST is refused (403) and writes nothing."""
    page = reverse("tenants:request_detail", args=[feedback.pk])
    step = lambda name: reverse("tenants:request_step", args=[feedback.pk, name])  # noqa: E731
    client.force_login(gm)
    assert client.post(step("reply-draft"), {"text": "管理层"}).status_code == 403
    assert not OnlineReply.objects.exists()
    client.force_login(desk)
    assert client.post(step("reply-draft"), {"text": "感谢建议"}).status_code == 302
    assert client.post(step("reply-publish")).status_code == 400
    client.force_login(engineer)
    assert client.post(step("reply-review")).status_code == 302
    client.force_login(desk)
    assert client.post(step("reply-publish")).status_code == 302
    assert WEIBO in client.get(page).content.decode()
    assert OnlineReply.objects.get().published_at is not None
