"""Notifications in the reader's language (JOB-10): a notification keeps its message ids and
parameters and is rendered in the language of whoever reads it, when they read it — the inbox,
the "My work" panel, the API and the e-mail; its de-duplication key works as before (JOB-09).

These tests do not run on-commit callbacks, so an e-mail stays pending until the outbox job
sends it — which lets a test change the recipient's language in between."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.utils.translation import pgettext_lazy as in_context  # not for the catalogue

from crm_project.accounts.tokens.services import token_issue
from crm_project.notifications.messages import Lines, Message, freeze, localized_department, render
from crm_project.notifications.models import Notification
from crm_project.notifications.outbox import emails_send_due
from crm_project.notifications.services import notify
from expenses.models import SignerRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WELCOME_EN, WELCOME_ZH = "Welcome to the CRM", "欢迎使用客户关系管理系统"
OVERDUE_TITLE = gettext_lazy("Overdue review: %(rep)s's %(month)s statement is not signed")
OVERDUE_BODY = gettext_lazy("The review was due by %(due)s and the statement still waits for the %(role)s's signature.")
SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = dt.datetime(2027, 1, 12, 17, 0, tzinfo=SHANGHAI)


@pytest.fixture
def chinese(sales):
    return UserFactory(username="zhuser", department=sales, language="zh-hans")


def _welcome(user, key="welcome", **kwargs):
    return notify(recipient=user, key=key, kind="welcome", title=gettext_lazy("Welcome to the CRM"), **kwargs)


def _overdue(user, key="overdue", **kwargs):
    return notify(
        recipient=user,
        key=key,
        kind="statement",
        title=OVERDUE_TITLE,
        body=OVERDUE_BODY,
        params={"rep": "张三", "month": "2026-12", "due": DUE, "role": SignerRole.MANAGER.label},
        url="/fees/",
        **kwargs,
    )


def _switch(client, language):
    response = client.post("/accounts/language/", {"language": language, "next": "/inbox/"})
    assert response.status_code == 302


def test_a_chinese_users_message_reads_in_english_after_they_switch(client_for, chinese):
    """JOB-10: stored as a message id; switching the language translates the inbox too."""
    notification = _overdue(chinese, email=False)
    assert notification.title == "检核逾期：张三 2026-12 的统计表尚未签核"  # as it read when it was made
    client = client_for(chinese)
    html = client.get("/inbox/").content.decode()
    assert "检核逾期：张三 2026-12 的统计表尚未签核" in html
    assert "检核截止时间为 2027-01-12 17:00，该统计表仍在等待销售部经理签字。" in html

    _switch(client, "en")
    html = client.get("/inbox/").content.decode()
    assert "Overdue review: 张三&#x27;s 2026-12 statement is not signed" in html
    assert "The review was due by 2027-01-12 17:00 and the statement still waits for the sales manager&#x27;s" in html
    assert "检核逾期" not in html and "销售部经理" not in html
    assert "Overdue review" in client.get("/").content.decode()  # the "My work" panel

    _switch(client, "zh-hans")
    assert "检核逾期" in client.get("/inbox/").content.decode()


def test_an_english_users_message_reads_in_chinese_when_chinese_is_active(client_for, rep):
    """JOB-10: and the other way round — the same row, read with Chinese active."""
    _welcome(rep, email=False)
    client = client_for(rep)
    assert WELCOME_EN in client.get("/inbox/").content.decode()
    _switch(client, "zh-hans")
    inbox, home = client.get("/inbox/").content.decode(), client.get("/").content.decode()
    assert WELCOME_ZH in inbox and WELCOME_EN not in inbox
    assert WELCOME_ZH in home  # the "My work" panel


def test_the_htmx_row_is_in_the_readers_language(client_for, chinese):
    """JOB-10: marking read swaps in the row, rendered like the page."""
    notification = _welcome(chinese, email=False)
    client = client_for(chinese)
    _switch(client, "en")
    response = client.post(f"/inbox/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    assert WELCOME_EN in response.content.decode()


def test_the_email_is_in_the_recipients_language_when_it_is_sent(chinese, rep, settings):
    """JOB-10: the language changed between the message and its e-mail; the e-mail follows."""
    settings.SITE_URL = "https://crm.example.cn"
    _overdue(chinese)
    _overdue(rep, key="overdue-rep")
    chinese.language = "en"
    chinese.save(update_fields=["language"])
    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    with translation.override("zh-hans"):  # whatever the worker has active
        assert emails_send_due() == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english, chinese_mail = by_recipient[chinese.email], by_recipient[rep.email]
    assert english.subject == "Overdue review: 张三's 2026-12 statement is not signed"
    assert english.body == (
        "The review was due by 2027-01-12 17:00 and the statement still waits for the sales manager's signature."
        "\n\nhttps://crm.example.cn/fees/"
    )
    assert chinese_mail.subject == "检核逾期：张三 2026-12 的统计表尚未签核"
    assert chinese_mail.body.startswith("检核截止时间为 2027-01-12 17:00，该统计表仍在等待销售部经理签字。")


def test_the_api_answers_in_the_requesters_language(client, chinese):
    """JOB-10: `title` and `body` keep their names and read in the caller's profile language,
    with a token (no session) as with the browser."""
    _overdue(chinese, email=False)
    _token, key = token_issue(user=chinese, name="phone")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    [row] = client.get("/api/v1/notifications/", **auth).json()["results"]
    assert row["title"] == "检核逾期：张三 2026-12 的统计表尚未签核"
    assert row["body"].endswith("该统计表仍在等待销售部经理签字。")
    assert set(row) == {"id", "kind", "title", "body", "url", "created_at", "read_at"}
    chinese.language = "en"
    chinese.save(update_fields=["language"])
    [row] = client.get("/api/v1/notifications/", **auth).json()["results"]
    assert row["title"] == "Overdue review: 张三's 2026-12 statement is not signed"
    read = client.post(f"/api/v1/notifications/{row['id']}/read/", **auth).json()
    assert read["title"] == row["title"] and read["read_at"]


def test_the_api_with_a_session_answers_in_the_users_language(client_for, chinese):
    """JOB-10"""
    _welcome(chinese, email=False)
    client = client_for(chinese)
    assert client.get("/api/v1/notifications/").json()["results"][0]["title"] == WELCOME_ZH
    _switch(client, "en")
    assert client.get("/api/v1/notifications/").json()["results"][0]["title"] == WELCOME_EN


def test_parameters_are_translated_too(chinese, sales):
    """JOB-10: a role, a department, a list of field labels, digest lines with their own
    parameters, dates and amounts — each rendered when read."""
    notification = notify(
        recipient=chinese,
        key="params",
        title=gettext_lazy("Complaint %(reference)s assigned to %(department)s"),
        body=Lines(
            [
                gettext_lazy("Overdue visits:"),
                Message(
                    gettext_lazy("- %(date)s %(customer)s (%(code)s), %(days)s days overdue"),
                    date=dt.date(2027, 1, 4),
                    customer="甲公司",
                    code="C001",
                    days=3,
                ),
                Message(gettext_lazy("%(rep)s changed %(fields)s. It takes effect when you confirm it."),
                        rep="李四", fields=Lines([gettext_lazy("legal representative"),
                                                 gettext_lazy("bank account")], join=", ")),
                Message(gettext_lazy("%(rep)s asks for an advance of %(amount)s"), rep="李四",
                        amount=Decimal("1234.50")),
            ]
        ),
        params={"reference": "TS-0001", "department": localized_department(sales)},
        email=False,
    )  # fmt: skip
    assert notification.title == "投诉 TS-0001 已分派给销售部"
    with translation.override("en"):
        assert notification.rendered_title == "Complaint TS-0001 assigned to Sales"
        assert notification.rendered_body.splitlines() == [
            "Overdue visits:",
            "- 2027-01-04 甲公司 (C001), 3 days overdue",
            "李四 changed legal representative, bank account. It takes effect when you confirm it.",
            "李四 asks for an advance of 1234.50",
        ]
    with translation.override("zh-hans"):
        assert notification.rendered_title == "投诉 TS-0001 已分派给销售部"
        body = notification.rendered_body
        assert "法人代表, 银行账号" in body and "Overdue" not in body
    stored = Notification.objects.get(pk=notification.pk)
    assert stored.params["department"] == {"localized": {"zh-hans": "销售部", "en": "Sales"}}
    assert stored.title_message == {"msgid": "Complaint %(reference)s assigned to %(department)s"}


def test_a_context_and_a_plural_are_kept():
    """JOB-10: pgettext_lazy keeps its context; ngettext_lazy its plural and the number's name."""
    in_a_context = freeze(in_context("test context", "Open"))
    assert in_a_context == {"msgid": "Open", "context": "test context"}
    with translation.override("zh-hans"):
        assert render(in_a_context, {}, fallback="") == "Open"  # no such entry: the msgid
    plural = ngettext_lazy("%(count)s e-mail is queued again.", "%(count)s e-mails are queued again.", "count")
    frozen = freeze(plural)
    assert frozen == {
        "msgid": "%(count)s e-mail is queued again.",
        "plural": "%(count)s e-mails are queued again.",
        "number": "count",
    }
    with translation.override("en"):
        assert render(frozen, {"count": 1}, fallback="") == "1 e-mail is queued again."
        assert render(frozen, {"count": 3}, fallback="") == "3 e-mails are queued again."
    with translation.override("zh-hans"):
        assert render(frozen, {"count": 3}, fallback="") == "已将 3 封邮件重新排队发送。"


def test_old_rows_without_a_message_id_still_show_their_text(client_for, client, chinese):
    """JOB-10: rows made before message ids keep the text they were stored with, everywhere."""
    old = Notification.objects.create(key="old", recipient=chinese, title="旧的提醒", body="请提交统计表。")
    assert (old.title_message, old.body_message, old.params) == (None, None, {})
    browser = client_for(chinese)
    _switch(browser, "en")
    assert "旧的提醒" in browser.get("/inbox/").content.decode()
    assert browser.get("/api/v1/notifications/").json()["results"][0]["body"] == "请提交统计表。"
    Notification.objects.filter(pk=old.pk).update(email_state="pending", email_due_at=old.created_at)
    assert emails_send_due() == 1
    assert (mail.outbox[0].subject, mail.outbox[0].body) == ("旧的提醒", "请提交统计表。")


def test_a_message_that_no_longer_fits_its_parameters_shows_the_stored_text(chinese):
    """JOB-10: rendering never fails a page."""
    notification = _overdue(chinese, email=False)
    Notification.objects.filter(pk=notification.pk).update(params={"rep": "张三"})
    notification.refresh_from_db()
    with translation.override("en"):
        assert notification.rendered_title == "检核逾期：张三 2026-12 的统计表尚未签核"


def test_the_key_still_stops_a_second_message_whatever_the_language(chinese):
    """JOB-09: the de-duplication key is unchanged."""
    assert _welcome(chinese, email=False) is not None
    chinese.language = "en"
    chinese.save(update_fields=["language"])
    assert _welcome(chinese, email=False) is None
    assert Notification.objects.filter(recipient=chinese).count() == 1


def test_search_finds_a_chinese_row_by_its_english_wording(client_for, chinese):
    """JOB-10, DSH-03: a reader who switched to English finds older rows by the words they see."""
    _overdue(chinese, email=False)
    _welcome(chinese, email=False)
    client = client_for(chinese)
    _switch(client, "en")
    assert client.get("/inbox/", {"q": "Overdue review"}).context["paginator"].count == 1
    assert client.get("/inbox/", {"q": "张三"}).context["paginator"].count == 1


def test_the_export_is_in_the_readers_language(client_for, chinese):
    """JOB-10, DSH-03"""
    import io

    from openpyxl import load_workbook

    _welcome(chinese, email=False)
    client = client_for(chinese)
    _switch(client, "en")
    response = client.get("/inbox/", {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(workbook.active.iter_rows(values_only=True))[1][1] == WELCOME_EN


def test_the_translated_inbox_and_panel_run_a_constant_number_of_queries(client_for, chinese):
    """JOB-10: rendering in the reader's language costs no query per row."""
    client = client_for(chinese)
    _switch(client, "en")
    _overdue(chinese, key="a0", email=False)
    with CaptureQueriesContext(connection) as one:
        client.get("/inbox/")
    with CaptureQueriesContext(connection) as one_home:
        client.get("/")
    for index in range(24):
        _overdue(chinese, key=f"b{index}", email=False)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/inbox/").content.decode()
    with CaptureQueriesContext(connection) as many_home:
        client.get("/")
    assert html.count("Overdue review") == 25
    assert len(one) == len(many)
    assert len(one_home) == len(many_home)
