"""Survey answers on the customer's timeline (CUS-08, SUR-03); imported from
SurveysConfig.ready(). One query, whatever the number of answers."""

from collections import defaultdict

from django.db.models import Subquery
from django.utils.translation import gettext as _

from customers.timeline import TimelineEntry, providers

from .models import Answer, QuestionKind, SurveyResponse, SurveySettings


def _low(answer: Answer) -> int:
    if answer.low_score is None:  # the settings row is made on first use
        return SurveySettings._meta.get_field("low_score").default
    return answer.low_score


def survey_answer_entries(customer, limit: int) -> list[TimelineEntry]:
    newest = (
        SurveyResponse.objects.filter(recipient__customer=customer)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:limit]
    )
    answers = (
        Answer.objects.filter(response__in=newest)
        .select_related("response__recipient__round__survey", "question")
        .annotate(low_score=Subquery(SurveySettings.objects.filter(pk=1).values("low_score")[:1]))
        .order_by("-response__submitted_at", "-response_id", "question__order", "question_id")
    )
    by_response: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_response[answer.response_id].append(answer)
    entries = []
    for rows in by_response.values():
        response = rows[0].response
        recipient = response.recipient
        details = []
        texts = []
        for answer in rows:
            if answer.question.kind == QuestionKind.TEXT:
                texts.append(answer.text)
            else:
                details.append((answer.question.text, f"{answer.score}/5" if answer.score else answer.choice))
        entries.append(
            TimelineEntry(
                when=response.submitted_at,
                kind="survey",
                title=_("Survey answered: %(survey)s") % {"survey": recipient.round.survey.title},
                icon="clipboard-check",
                who=recipient.name,
                text="\n".join(text for text in texts if text),
                details=details,
                highlight=any(answer.score is not None and answer.score <= _low(answer) for answer in rows),
            )
        )
    return entries


if survey_answer_entries not in providers:
    providers.append(survey_answer_entries)
