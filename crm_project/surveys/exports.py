"""The Excel export of a survey round's results (SUR-03, DSH-03): one row per response,
one column per question."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export

from .models import Answer, QuestionKind, SurveyAudience, SurveyResponse, SurveyRound


def _answer_value(answer: Answer | None) -> Any:
    if answer is None:
        return None
    if answer.question.kind == QuestionKind.SCORE:
        return answer.score
    if answer.question.kind == QuestionKind.CHOICE:
        return answer.choice
    return answer.text


def _no_value(_response) -> None:
    return None


class RoundResultsExport(Export):
    """Built for one round, since its columns are the round's questions."""

    def __init__(self, survey_round: SurveyRound):
        self.survey_round = survey_round
        self.name = f"survey-round-{survey_round.pk}"
        self.questions = list(survey_round.survey.questions.all())
        self.columns = [
            Column(_("Submitted at"), "submitted_at", 18),
            *(self._tenant_columns() if survey_round.survey.audience == SurveyAudience.TENANTS
              else self._customer_columns()),
            Column(_("Contact"), "recipient.name", 16),
            # filled by rows() from the response's answers
            *(Column(question.text, _no_value, 24 if question.kind == QuestionKind.TEXT else 12)
              for question in self.questions),
        ]  # fmt: skip

    @staticmethod
    def _customer_columns() -> list[Column]:
        return [
            Column(_("Customer code"), "recipient.customer.code", 14),
            Column(_("Customer"), "recipient.customer.name", 30),
            Column(_("Grade"), "recipient.customer.grade", 8),
            Column(_("Owner"), lambda r: r.recipient.customer.owner.display_name if r.recipient.customer else None),
        ]

    @staticmethod
    def _tenant_columns() -> list[Column]:
        return [
            Column(_("Unit"), "recipient.tenant.unit", 10),
            Column(_("Shop"), "recipient.tenant.shop_name", 30),
            Column(_("Floor"), "recipient.tenant.floor", 8),
            Column(_("Business type"), "recipient.tenant.business_type", 16),
        ]

    def responses(self) -> QuerySet[SurveyResponse]:
        return (
            SurveyResponse.objects.filter(recipient__round=self.survey_round)
            .select_related("recipient__customer__owner", "recipient__tenant")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
            .order_by("submitted_at", "pk")
        )

    def rows(self, queryset: QuerySet) -> Iterator[list[Any]]:
        fixed = self.columns[: len(self.columns) - len(self.questions)]
        for response in queryset.iterator(chunk_size=self.chunk_size):
            answers = {answer.question_id: answer for answer in response.answers.all()}
            yield [column.read(response) for column in fixed] + [
                _answer_value(answers.get(question.pk)) for question in self.questions
            ]
