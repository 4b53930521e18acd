"""Reads of the satisfaction surveys (SUR-03). Every page, export and API call starts from the
`*_visible_to(user)` selectors (ORG-02); the results are SQL aggregates, a fixed number of
queries whatever the number of responses."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import get_language

from crm_project.accounts.access import visible_to

from .models import (
    Answer,
    Question,
    QuestionKind,
    Recipient,
    Survey,
    SurveyAudience,
    SurveyFollowUp,
    SurveyResponse,
    SurveyRound,
)

FREE_TEXT_LIMIT = 500


def survey_visible_to(user) -> QuerySet[Survey]:
    return visible_to(user, Survey.objects.all())


def survey_round_visible_to(user) -> QuerySet[SurveyRound]:
    return visible_to(user, SurveyRound.objects.all())


def survey_response_visible_to(user) -> QuerySet[SurveyResponse]:
    return visible_to(user, SurveyResponse.objects.all())


def follow_up_visible_to(user) -> QuerySet[SurveyFollowUp]:
    return visible_to(user, SurveyFollowUp.objects.all())


def with_round_counts(queryset: QuerySet[SurveyRound]) -> QuerySet[SurveyRound]:
    return queryset.annotate(
        recipient_count=Count("recipients"),
        sent_count=Count("recipients", filter=Q(recipients__sent_at__isnull=False)),
        response_count=Count("recipients", filter=Q(recipients__responded_at__isnull=False)),
    )


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _mean(total, count) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Group:
    """One row of a breakdown: a grade, an owner or a department; a floor or a business type."""

    key: object
    label: str
    recipients: int = 0
    responses: int = 0
    sums: dict = field(default_factory=dict)  # question id -> (sum, count)
    cells: list = field(default_factory=list)  # the score questions' averages, in order

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.responses, self.recipients)

    @property
    def average(self) -> Decimal | None:
        return _mean(sum(s for s, _c in self.sums.values()), sum(c for _s, c in self.sums.values()))

    def averages(self, questions: list[Question]) -> list[Decimal | None]:
        return [_mean(*self.sums.get(question.pk, (0, 0))) for question in questions]


def _breakdown(
    survey_round: SurveyRound, path: str, label_fields: tuple[str, ...], label, subject: str = "customer"
) -> list[Group]:
    """Recipients, responses and score sums per group of the recipients' `subject` (customer
    or tenant): two queries."""
    groups: dict[object, Group] = {}
    recipient_rows = (
        Recipient.objects.filter(round=survey_round)
        .values(f"{subject}__{path}", *(f"{subject}__{f}" for f in label_fields))
        .annotate(recipients=Count("pk"), responses=Count("responded_at"))
        .order_by(f"{subject}__{path}")
    )
    for row in recipient_rows:
        key = row[f"{subject}__{path}"]
        groups[key] = Group(
            key=key,
            label=label(*(row[f"{subject}__{f}"] for f in label_fields)),
            recipients=row["recipients"],
            responses=row["responses"],
        )
    answer_rows = (
        Answer.objects.filter(response__recipient__round=survey_round, score__isnull=False)
        .values(f"response__recipient__{subject}__{path}", "question_id")
        .annotate(total=Sum("score"), count=Count("pk"))
        .order_by()
    )
    for row in answer_rows:
        group = groups.get(row[f"response__recipient__{subject}__{path}"])
        if group is not None:
            group.sums[row["question_id"]] = (row["total"], row["count"])
    return list(groups.values())


def _person(last_name, first_name, username) -> str:
    return f"{last_name or ''}{first_name or ''}".strip() or username or "—"


def _department(name_zh, name_en) -> str:
    if name_zh is None and name_en is None:
        return "—"
    return name_zh if (get_language() or "").startswith("zh") else name_en


@dataclass
class QuestionResult:
    question: Question
    answers: int = 0
    average: Decimal | None = None
    choices: list[tuple[str, int]] = field(default_factory=list)


def _breakdowns(survey_round: SurveyRound) -> dict[str, list[Group]]:
    """Customers per grade, owner and owner's department; tenants per floor and business type."""
    if survey_round.survey.audience == SurveyAudience.TENANTS:
        return {
            "by_floor": _breakdown(survey_round, "floor", ("floor",), lambda v: v or "—", subject="tenant"),
            "by_business_type": _breakdown(
                survey_round, "business_type", ("business_type",), lambda v: v or "—", subject="tenant"
            ),
        }
    return {
        "by_grade": _breakdown(survey_round, "grade", ("grade",), lambda grade: grade or "—"),
        "by_owner": _breakdown(
            survey_round, "owner_id", ("owner__last_name", "owner__first_name", "owner__username"), _person
        ),
        "by_department": _breakdown(
            survey_round,
            "owner__department_id",
            ("owner__department__name_zh", "owner__department__name_en"),
            _department,
        ),
    }


def round_results(survey_round: SurveyRound) -> dict:
    """SUR-03: response rate, average per question, per grade / owner / department (tenants:
    per floor / business type), the free-text answers, and each score question's trend across
    the survey's rounds."""
    survey = survey_round.survey
    questions = list(survey.questions.all())
    score_questions = [q for q in questions if q.kind == QuestionKind.SCORE]
    counts = Recipient.objects.filter(round=survey_round).aggregate(
        recipients=Count("pk"), sent=Count("sent_at"), responses=Count("responded_at")
    )
    per_question = {
        row["question_id"]: row
        for row in Answer.objects.filter(response__recipient__round=survey_round)
        .values("question_id")
        .annotate(average=Avg("score"), answers=Count("pk"))
        .order_by()
    }
    choice_counts: dict[int, dict[str, int]] = {}
    for row in (
        Answer.objects.filter(response__recipient__round=survey_round, question__kind=QuestionKind.CHOICE)
        .values("question_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        choice_counts.setdefault(row["question_id"], {})[row["choice"]] = row["n"]
    results = []
    for question in questions:
        row = per_question.get(question.pk, {})
        average = row.get("average")
        results.append(
            QuestionResult(
                question=question,
                answers=row.get("answers", 0),
                average=Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP) if average is not None else None,
                choices=[(choice, choice_counts.get(question.pk, {}).get(choice, 0)) for choice in question.choices],
            )
        )
    texts = list(
        Answer.objects.filter(response__recipient__round=survey_round, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("question", "response__recipient__customer", "response__recipient__tenant")
        .order_by("-response__submitted_at", "pk")[:FREE_TEXT_LIMIT]
    )
    breakdowns = _breakdowns(survey_round)
    for groups in breakdowns.values():
        for group in groups:
            group.cells = group.averages(score_questions)
    return {
        **breakdowns,
        "questions": questions,
        "score_questions": score_questions,
        "recipients": counts["recipients"],
        "sent": counts["sent"],
        "responses": counts["responses"],
        "rate": _rate(counts["responses"], counts["recipients"]),
        "question_results": results,
        "texts": texts,
        "texts_limited": len(texts) >= FREE_TEXT_LIMIT,
        "trend": survey_trend(survey, score_questions),
    }


def survey_trend(survey: Survey, score_questions: list[Question]) -> dict:
    """Each score question's average per round, oldest round first (for the chart)."""
    rounds = list(SurveyRound.objects.filter(survey=survey).order_by("started_at", "pk").values("pk", "name"))
    averages = {
        (row["response__recipient__round_id"], row["question_id"]): row["average"]
        for row in Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.SCORE)
        .values("response__recipient__round_id", "question_id")
        .annotate(average=Avg("score"))
        .order_by()
    }
    return {
        "rounds": [row["name"] for row in rounds],
        "series": [
            {
                "name": question.text,
                "data": [
                    round(averages[(row["pk"], question.pk)], 2) if (row["pk"], question.pk) in averages else None
                    for row in rounds
                ],
            }
            for question in score_questions
        ],
    }
