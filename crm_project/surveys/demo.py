"""Demo satisfaction survey (SUR-01 … SUR-03): a scheduled customer satisfaction survey with
three score questions, a single choice and a free-text question; last period's round, closed,
answered by most of its recipients (two low scores opened follow-ups), and this period's
round, open. Deterministic and idempotent (keyed on the survey's title and the rounds'
periods). Needs the customers demo first; gives the demo contacts an e-mail address.

No e-mail is sent: the demo marks the links as sent. The open round's links are made here
and only their hashes kept; one of them is printed, to try the answer page.
"""

import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.notifications.services import notify
from customers.models import Contact

from . import demo_tenants
from .models import (
    Answer,
    Question,
    QuestionKind,
    Recipient,
    Survey,
    SurveyFollowUp,
    SurveyResponse,
    SurveyRound,
    SurveySettings,
)
from .services.rounds import answer_url, round_audience, round_period, token_hash

TITLE = "客户满意度调查"
INTRODUCTION = "感谢您一直以来的支持！请花两分钟告诉我们您的感受，您的意见将帮助我们改进产品与服务。"
QUESTIONS = [
    (QuestionKind.SCORE, "您对我们产品质量的满意程度？", [], True),
    (QuestionKind.SCORE, "您对交货及时性的满意程度？", [], True),
    (QuestionKind.SCORE, "您对销售代表服务的满意程度？", [], True),
    (QuestionKind.CHOICE, "您最希望我们改进哪一方面？", ["产品质量", "交货速度", "价格", "售后服务", "沟通联系"], True),
    (QuestionKind.TEXT, "其他意见或建议", [], False),
]
COMMENTS = [
    "整体满意，希望交货周期再短一些。",
    "销售代表响应很及时，点赞！",
    "价格略高，希望年度框架协议能有更多优惠。",
    "售后工程师很专业。",
    "希望提供更多产品培训资料。",
    "",
    "",
]


def _period_start(day: date, months: int) -> date:
    months = months if months > 0 and 12 % months == 0 else 3
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def _survey() -> Survey:
    survey = Survey.objects.filter(title=TITLE).first()
    if survey is None:
        survey = Survey.objects.create(title=TITLE, introduction=INTRODUCTION, scheduled=True)
        Question.objects.bulk_create(
            Question(survey=survey, order=order, kind=kind, text=text, choices=choices, required=required)
            for order, (kind, text, choices, required) in enumerate(QUESTIONS, start=1)
        )
    return survey


def _round(survey, *, name, period, criteria, started_at, closes_at, starter) -> tuple[SurveyRound, list, bool]:
    existing = SurveyRound.objects.filter(survey=survey, period=period).first()
    if existing is not None:
        return existing, [], False
    survey_round = SurveyRound.objects.create(
        survey=survey, name=name, period=period, criteria=criteria, started_by=starter, closes_at=closes_at
    )
    SurveyRound.objects.filter(pk=survey_round.pk).update(started_at=started_at)
    tokens, recipients = [], []
    for contact in round_audience(criteria):
        token = secrets.token_urlsafe(32)
        tokens.append(token)
        recipients.append(
            Recipient(
                round=survey_round,
                customer=contact.customer,
                contact=contact,
                name=contact.name,
                email=contact.email,
                token_hash=token_hash(token),
                expires_at=closes_at,
                sent_at=started_at + timedelta(minutes=5),
            )
        )
    Recipient.objects.bulk_create(recipients)
    return survey_round, list(zip(recipients, tokens, strict=True)), True


def _answer(recipient, questions, rng, submitted_at, forced_low: int | None = None) -> list[Answer]:
    response = SurveyResponse.objects.create(recipient=recipient)
    SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=submitted_at)
    response.submitted_at = submitted_at
    rows = []
    for index, question in enumerate(questions):
        if question.kind == QuestionKind.SCORE:
            score = forced_low if forced_low is not None and index == 2 else rng.choice([3, 4, 4, 4, 5, 5, 5])
            rows.append(Answer(response=response, question=question, score=score))
        elif question.kind == QuestionKind.CHOICE:
            rows.append(Answer(response=response, question=question, choice=rng.choice(question.choices)))
        else:
            comment = "交货多次延误，服务响应慢，希望尽快改进。" if forced_low is not None else rng.choice(COMMENTS)
            if comment:
                rows.append(Answer(response=response, question=question, text=comment))
    Answer.objects.bulk_create(rows)
    Recipient.objects.filter(pk=recipient.pk).update(responded_at=submitted_at)
    return rows


def _follow_up(answer: Answer, recipient: Recipient, *, done: bool) -> None:
    customer = recipient.customer
    follow_up, created = SurveyFollowUp.objects.get_or_create(
        answer=answer, defaults={"customer": customer, "owner": customer.owner}
    )
    if created:
        opened = answer.response.submitted_at
        SurveyFollowUp.objects.filter(pk=follow_up.pk).update(created_at=opened)
        if done:
            follow_up.done_at = opened + timedelta(days=2)
            follow_up.note = "已电话回访，确认下批货物加急发运，客户表示理解。"
            follow_up.save(update_fields=["done_at", "note"])
    notify(
        recipient=customer.owner,
        key=f"survey-followup:{answer.pk}",
        kind="survey-followup",
        title=gettext_lazy("Low satisfaction score from %(customer)s"),
        body=gettext_lazy(
            "%(contact)s gave %(score)s out of 5 to “%(question)s” in the survey %(survey)s. Please follow up."
        ),
        params={
            "customer": customer.name,
            "contact": recipient.name,
            "score": answer.score,
            "question": answer.question.text,
            "survey": TITLE,
        },
        url="/surveys/follow-ups/",
        email=False,
    )


@transaction.atomic
def seed(stdout=None) -> None:
    rng = random.Random(20261124)
    now = timezone.now()
    today = timezone.localdate()
    link_days = SurveySettings.load().link_days
    months = SurveySettings.load().customer_round_months
    starter = User.objects.filter(username="service1").first()
    # The demo contacts have no e-mail; a survey goes by e-mail.
    Contact.objects.filter(customer__code__startswith="DEMO", email="").update(
        email=Concat(Value("contact"), Cast("pk", CharField()), Value("@example.com"))
    )
    survey = _survey()
    questions = list(survey.questions.all())

    current_start = _period_start(today, months)
    previous_day = current_start - timedelta(days=1)
    previous_period, current_period = round_period(previous_day, months), round_period(today, months)
    started = timezone.make_aware(datetime.combine(_period_start(previous_day, months) + timedelta(days=5), time(10)))
    closed_round, closed_recipients, created = _round(
        survey,
        name=previous_period,
        period=previous_period,
        criteria={"grades": ["A", "B"], "industries": [], "owners": []},
        started_at=started,
        closes_at=min(started + timedelta(days=link_days), now - timedelta(days=1)),
        starter=starter,
    )
    lows = []
    if created:
        for index, (recipient, _token) in enumerate(closed_recipients):
            if index % 6 == 5:
                continue  # about one in six never answers
            forced = {3: 2, 10: 1}.get(index)
            rows = _answer(recipient, questions, rng, started + timedelta(days=1 + index % 12, hours=index % 9), forced)
            if forced is not None:
                lows.append((next(a for a in rows if a.score == forced), recipient))
        SurveyRound.objects.filter(pk=closed_round.pk).update(closed=True)
        for position, (answer, recipient) in enumerate(lows):
            _follow_up(answer, recipient, done=position == 0)

    open_round, open_recipients, created = _round(
        survey,
        name=current_period,
        period=current_period,
        criteria={"grades": [], "industries": [], "owners": []},
        started_at=now - timedelta(days=3),
        closes_at=now - timedelta(days=3) + timedelta(days=link_days),
        starter=None,
    )
    link = ""
    if created:
        for index, (recipient, _token) in enumerate(open_recipients):
            if index % 3 == 0:
                _answer(recipient, questions, rng, now - timedelta(days=2, hours=index % 20))
        link = next((answer_url(token) for index, (_r, token) in enumerate(open_recipients) if index % 3), "")
    if stdout:
        stdout.write(
            f"  survey “{TITLE}”: round {previous_period} closed ({closed_round.recipients.count()} recipients), "
            f"round {current_period} open ({open_round.recipients.count()} recipients)"
        )
        if link:
            stdout.write(f"  try the survey answer page: {link}")
    demo_tenants.seed(stdout=stdout)
