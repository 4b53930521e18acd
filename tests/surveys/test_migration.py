"""The surveys' move from the complaints app to crm_project/surveys keeps every survey, round,
recipient token, response, answer and follow-up, with their ids, and the groups' permissions
on them (issue 12; SUR-01 … SUR-03). Run from the previous schema: complaints at 0005, surveys
not yet an app's."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from crm_project.surveys.models import Answer, Recipient, Survey, SurveyFollowUp, SurveyResponse, SurveyRound

BEFORE = [("complaints", "0005_complaint_tenant"), ("surveys", None)]


def _migrate(targets, state_at):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(state_at).apps


def _seed_old_schema(old):
    """Rows as the complaints app kept them, written through the old schema's models."""
    user = old.get_model("accounts", "User").objects.create(username="owner-before-move")
    survey = old.get_model("complaints", "Survey").objects.create(title="客户满意度 2026", audience="customers")
    question = old.get_model("complaints", "Question").objects.create(survey=survey, order=1, kind="score", text="质量")
    closes = timezone.now() + timedelta(days=30)
    survey_round = old.get_model("complaints", "SurveyRound").objects.create(
        survey=survey, name="2026-Q4", period="2026-Q4", closes_at=closes
    )
    recipient = old.get_model("complaints", "Recipient").objects.create(
        round=survey_round, name="王主管", email="wang@example.com", token_hash="a" * 64, expires_at=closes
    )
    response = old.get_model("complaints", "SurveyResponse").objects.create(recipient=recipient)
    answer = old.get_model("complaints", "Answer").objects.create(response=response, question=question, score=1)
    old.get_model("complaints", "SurveyFollowUp").objects.create(answer=answer, owner=user)
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="complaints", model="survey"
    )[0]
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="view_survey", defaults={"name": "Can view survey"}
    )[0]
    old.get_model("auth", "Group").objects.create(name="survey-readers").permissions.add(permission)
    return {"survey": survey.pk, "round": survey_round.pk, "recipient": recipient.pk, "answer": answer.pk}


@pytest.mark.django_db
def test_the_move_keeps_every_row_and_permission():
    """Issue 12: surveys become a shared module without losing a row."""
    graph = MigrationExecutor(connection).loader.graph
    # Forward only as far as the move reaches; the test's transaction restores the rest.
    latest = [node for node in graph.leaf_nodes() if node[0] in ("complaints", "surveys")]
    # The test database has today's content types; the old schema had the complaints' ones.
    ContentType.objects.filter(app_label="surveys").delete()
    ids = _seed_old_schema(_migrate(BEFORE, state_at=BEFORE[:1]))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks while tables are renamed
    _migrate(latest, state_at=latest)
    ContentType.objects.clear_cache()

    survey = Survey.objects.get(pk=ids["survey"])
    assert survey.title == "客户满意度 2026"
    assert SurveyRound.objects.get(pk=ids["round"]).period == "2026-Q4"
    recipient = Recipient.objects.get(pk=ids["recipient"])
    assert recipient.token_hash == "a" * 64  # the link e-mailed before the move still works
    assert SurveyResponse.objects.get(recipient=recipient).answers.get().pk == ids["answer"]
    assert SurveyFollowUp.objects.get().answer_id == ids["answer"]
    assert Answer.objects.get(pk=ids["answer"]).score == 1
    assert Survey._meta.db_table == "surveys_survey"
    view_survey = Permission.objects.get(codename="view_survey", content_type__app_label="surveys")
    assert list(Group.objects.get(name="survey-readers").permissions.all()) == [view_survey]
    assert not ContentType.objects.filter(app_label="complaints", model="survey").exists()
