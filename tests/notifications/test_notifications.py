import pytest
from django.core import mail

from crm_project.notifications.models import Notification
from crm_project.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_notifies_once_per_key(rep):
    """JOB-09: the de-duplication key's unique constraint stops a second message."""
    first = notify(recipient=rep, key="reminder:2026-10:rep", title="Submit your statement")
    second = notify(recipient=rep, key="reminder:2026-10:rep", title="Submit your statement")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=rep).count() == 1


def test_it_sends_the_email_once_after_commit(rep):
    """JOB-10: inbox and e-mail; the e-mail is sent once even if the job is retried."""
    notification = notify(recipient=rep, key="k1", title="Hello", body="Body", url="/inbox/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [rep.email]
    assert mail.outbox[0].subject == "Hello"
    from crm_project.notifications.tasks import send_notification_email

    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


def test_it_writes_in_the_recipients_language(sales):
    """JOB-10: a notification is rendered in the recipient's own language."""
    from django.utils.translation import gettext_lazy as _

    chinese = UserFactory(username="zhuser", department=sales, language="zh-hans")
    notify(recipient=chinese, key="k-zh", title=_("Welcome to the CRM"), email=False)
    assert Notification.objects.get(key="k-zh").title == "欢迎使用客户关系管理系统"


def test_a_user_without_email_gets_only_the_inbox_message(sales):
    user = UserFactory(username="noemail", department=sales, email="")
    notify(recipient=user, key="k2", title="Hello")
    assert mail.outbox == []
    assert user.notifications.count() == 1
