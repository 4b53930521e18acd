"""Demo tenant survey (SUR-01 … SUR-03 for tenants): a scheduled tenant satisfaction survey and
this half-year's round to every current tenant's contacts, answered by most of them through
the answer service, so the results group by floor and business type and a low score opens a
follow-up for the operations manager. Idempotent (keyed on the survey's title and the
round's period). Needs the tenants demo first; gives the demo tenant contacts an e-mail."""

import random
import secrets
from datetime import timedelta

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from crm_project.accounts.models import User
from tenants.models import TenantContact

from .models import Question, QuestionKind, Recipient, Survey, SurveyAudience, SurveyRound, SurveySettings
from .services.answers import survey_answer
from .services.rounds import round_period, tenant_round_audience, token_hash

TITLE = "租户满意度调查"
INTRODUCTION = "感谢您入驻本购物中心！请花两分钟评价我们的营运服务，您的意见将帮助我们做得更好。"
QUESTIONS = [
    (QuestionKind.SCORE, "您对服务台响应速度的满意程度？", []),
    (QuestionKind.SCORE, "您对工程维修质量的满意程度？", []),
    (QuestionKind.SCORE, "您对商场保洁与安保的满意程度？", []),
    (QuestionKind.CHOICE, "您最希望我们改进哪一方面？", ["维修响应", "保洁", "安保", "营销活动", "停车"]),
    (QuestionKind.TEXT, "其他意见或建议", []),
]
COMMENTS = ["希望周末增加保洁频次。", "工程部维修很及时，谢谢！", "建议多做节假日营销活动。", ""]


def _survey() -> Survey:
    survey = Survey.objects.filter(title=TITLE, audience=SurveyAudience.TENANTS).first()
    if survey is None:
        survey = Survey.objects.create(
            title=TITLE, introduction=INTRODUCTION, scheduled=True, audience=SurveyAudience.TENANTS
        )
        Question.objects.bulk_create(
            Question(survey=survey, order=order, kind=kind, text=text, choices=choices, required=kind != "text")
            for order, (kind, text, choices) in enumerate(QUESTIONS, start=1)
        )
    return survey


def _answers(questions, rng, index: int) -> dict:
    low = index % 7 == 3  # about one in seven is unhappy with the repairs
    answers = {}
    for position, question in enumerate(questions):
        if question.kind == QuestionKind.SCORE:
            answers[question.pk] = 2 if low and position == 1 else rng.choice([3, 4, 4, 5, 5])
        elif question.kind == QuestionKind.CHOICE:
            answers[question.pk] = "维修响应" if low else rng.choice(question.choices)
        else:
            answers[question.pk] = "空调报修两次才修好，希望工程部加快响应。" if low else rng.choice(COMMENTS)
    return answers


def seed(stdout=None) -> None:
    if not TenantContact.objects.exists():
        return
    TenantContact.objects.filter(email="").update(
        email=Concat(Value("tenant"), Cast("pk", CharField()), Value("@example.com"))
    )
    survey = _survey()
    period = round_period(timezone.localdate(), SurveySettings.load().tenant_round_months)
    if SurveyRound.objects.filter(survey=survey, period=period).exists():
        return
    now = timezone.now()
    started = now - timedelta(days=6)
    survey_round = SurveyRound.objects.create(
        survey=survey, name=period, period=period, criteria={"floors": [], "business_types": []},
        started_by=User.objects.filter(username="ops1").first(), closes_at=started + timedelta(days=30),
    )  # fmt: skip
    tokens = {}
    for contact in tenant_round_audience({}):
        token = secrets.token_urlsafe(32)
        recipient = Recipient.objects.create(
            round=survey_round, tenant=contact.tenant, tenant_contact=contact, name=contact.name,
            email=contact.email, token_hash=token_hash(token), expires_at=survey_round.closes_at, sent_at=started,
        )  # fmt: skip
        tokens[recipient.pk] = token
    rng = random.Random(20261202)
    questions = list(survey.questions.all())
    answered = 0
    for index, token in enumerate(tokens.values()):
        if index % 4 != 3:  # one in four has not answered yet
            survey_answer(token=token, answers=_answers(questions, rng, index))
            answered += 1
    if stdout:
        stdout.write(f"  tenant survey “{TITLE}”: round {period}, {answered} of {len(tokens)} answered")
