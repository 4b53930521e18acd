"""The surveys API, read-only (SUR-01 … SUR-03): /api/v1/surveys/, /api/v1/survey-rounds/,
/api/v1/survey-responses/. Every queryset starts from the access rules (ORG-02): survey
definitions and rounds for customer service, sales managers/directors and management, the
tenants' for operations and management; a response for whoever sees its customer (or, a
tenant's, the tenant desk). Self-contained: `register(router)`."""

import django_filters
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from .models import Answer, Question, Survey, SurveyResponse, SurveyRound
from .selectors import (
    survey_response_visible_to,
    survey_round_visible_to,
    survey_visible_to,
    with_round_counts,
)


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "order", "kind", "text", "choices", "required"]


class SurveySerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "audience", "introduction", "scheduled", "active", "created_at", "questions"]


class SurveyRoundSerializer(serializers.ModelSerializer):
    recipients = serializers.IntegerField(source="recipient_count", read_only=True)
    sent = serializers.IntegerField(source="sent_count", read_only=True)
    responses = serializers.IntegerField(source="response_count", read_only=True)

    class Meta:
        model = SurveyRound
        fields = [
            "id", "survey", "name", "period", "criteria", "started_at", "closes_at", "closed",
            "recipients", "sent", "responses",
        ]  # fmt: skip


class AnswerSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="question.kind", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "kind", "score", "choice", "text"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="recipient.round_id", read_only=True)
    survey = serializers.IntegerField(source="recipient.round.survey_id", read_only=True)
    customer = serializers.CharField(source="recipient.customer.code", read_only=True, default="")
    tenant = serializers.IntegerField(source="recipient.tenant_id", read_only=True, allow_null=True)
    contact = serializers.CharField(source="recipient.name", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "round", "survey", "customer", "tenant", "contact", "submitted_at", "answers"]


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Survey definitions with their questions."""

    serializer_class = SurveySerializer

    def get_queryset(self):
        return survey_visible_to(self.request.user).prefetch_related("questions").order_by("-created_at", "-pk")


class SurveyRoundFilter(django_filters.FilterSet):
    class Meta:
        model = SurveyRound
        fields = ["survey", "closed", "period"]


class SurveyRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Rounds with their recipient, sent and response counts; `?survey=<id>`."""

    serializer_class = SurveyRoundSerializer
    filterset_class = SurveyRoundFilter

    def get_queryset(self):
        return with_round_counts(survey_round_visible_to(self.request.user)).order_by("-started_at", "-pk")


class SurveyResponseFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="recipient__round_id")
    survey = django_filters.NumberFilter(field_name="recipient__round__survey_id")
    customer = django_filters.CharFilter(field_name="recipient__customer__code")
    tenant = django_filters.NumberFilter(field_name="recipient__tenant_id")

    class Meta:
        model = SurveyResponse
        fields = ["round", "survey", "customer", "tenant"]


class SurveyResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """Responses with their answers; a rep sees those of their own customers (ORG-02).
    `?round=<id>`, `?survey=<id>`, `?customer=<code>`."""

    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilter

    def get_queryset(self):
        return (
            survey_response_visible_to(self.request.user)
            .select_related("recipient__round", "recipient__customer")
            .prefetch_related(
                Prefetch(
                    "answers", queryset=Answer.objects.select_related("question").order_by("question__order", "pk")
                )
            )
            .order_by("-submitted_at", "-pk")
        )


def register(router) -> None:
    router.register("surveys", SurveyViewSet, basename="survey")
    router.register("survey-rounds", SurveyRoundViewSet, basename="survey-round")
    router.register("survey-responses", SurveyResponseViewSet, basename="survey-response")
