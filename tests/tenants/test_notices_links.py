"""TEN-06, JOB-09: the sign-for links go out from a job after the delivery commits — each tenant
e-mailed once however often it runs, a failed e-mail retried, and the links of a delivery made
while the broker was down sent by the sweep."""

from unittest import mock

import pytest
from django.core import mail

from tenants import tasks_notices as tasks
from tenants.models import NoticeAddressee
from tenants.services.notices import addressee_for_token

from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import draft, walk

pytestmark = pytest.mark.django_db


def _token_in(message) -> str:
    return message.body.split("/tenants/notices/sign/")[1].split("/")[0]


def test_the_delivery_e_mails_each_link_once(
    desk, engineer, engineering, gm, notice_tenants, django_capture_on_commit_callbacks
):
    """TEN-06, JOB-09: the job after commit e-mails the tenant with an e-mail; running it again
    sends nothing; the e-mailed link is the one that works."""
    notice = walk(draft(desk, engineering, notice_tenants), to="sealed", head=engineer, gm=gm, desk=desk)
    with django_capture_on_commit_callbacks(execute=True):
        notice = walk(notice, to="delivered", head=engineer, gm=gm, desk=desk)
    assert [message.to for message in mail.outbox] == [["wang@example.com"]]
    assert tasks.send_notice_links(notice.pk) == 0
    assert tasks.send_unsent_notice_links() == 0
    addressee, state = addressee_for_token(_token_in(mail.outbox[0]))
    assert (addressee.tenant_id, state) == (notice_tenants[0].pk, "open")


def test_a_failed_e_mail_is_released_and_sent_by_the_retry(desk, engineer, engineering, gm, notice_tenants):
    """JOB-09: the mail server refuses; the claim is released, nothing half-sent; the sweep
    sends the link later, once."""
    notice = walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)
    with (
        mock.patch("tenants.services.notices.EmailMessage.send", side_effect=OSError("smtp down")),
        pytest.raises(OSError),
    ):
        tasks.send_notice_links(notice.pk)
    assert NoticeAddressee.objects.get(notice=notice, tenant=notice_tenants[0]).emailed_at is None
    assert mail.outbox == []
    assert tasks.send_unsent_notice_links() == 1
    assert tasks.send_unsent_notice_links() == 0
    assert len(mail.outbox) == 1


def test_links_whose_job_was_never_queued_are_sent_by_the_sweep(
    desk, engineer, engineering, gm, notice_tenants, django_capture_on_commit_callbacks
):
    """TEN-06, JOB-09: the job was not queued (the broker was down when the desk delivered);
    the notice is delivered all the same and the sweep e-mails the links afterwards."""
    notice = walk(draft(desk, engineering, notice_tenants), to="sealed", head=engineer, gm=gm, desk=desk)
    with mock.patch("tenants.services.notices.enqueue_on_commit"), django_capture_on_commit_callbacks(execute=True):
        notice = walk(notice, to="delivered", head=engineer, gm=gm, desk=desk)
    assert notice.status == "delivered" and mail.outbox == []
    assert tasks.send_unsent_notice_links() == 1
    assert [message.to for message in mail.outbox] == [["wang@example.com"]]
