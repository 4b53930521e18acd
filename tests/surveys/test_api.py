"""The surveys API, read-only (SUR-01 … SUR-03, ORG-02): /api/v1/surveys/,
/api/v1/survey-rounds/, /api/v1/survey-responses/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from crm_project.surveys.services.answers import survey_answer
from tests.surveys.factories import answers_for, customer_with_contacts, issue_link, make_round, make_survey

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def answered(rep, other_rep):
    survey = make_survey()
    survey_round = make_round(survey, name="Q4")
    for owner, quality in ((rep, 5), (other_rep, 2)):
        customer = customer_with_contacts(owner, code=f"C-{owner.username}")
        _recipient, token = issue_link(survey_round, customer)
        survey_answer(token=token, answers=answers_for(survey, quality=quality, text=f"from {owner.username}"))
    return survey, survey_round


def test_staff_read_surveys_rounds_and_responses(service, answered):
    """SUR-01, SUR-03"""
    survey, survey_round = answered
    client = api(service)
    surveys = client.get("/api/v1/surveys/").json()["results"]
    assert [s["title"] for s in surveys] == ["Customer satisfaction"]
    assert [q["kind"] for q in surveys[0]["questions"]] == ["score", "score", "choice", "text"]

    rounds = client.get("/api/v1/survey-rounds/", {"survey": survey.pk}).json()["results"]
    assert rounds[0]["id"] == survey_round.pk
    assert (rounds[0]["recipients"], rounds[0]["sent"], rounds[0]["responses"]) == (2, 2, 2)

    responses = client.get("/api/v1/survey-responses/", {"round": survey_round.pk}).json()["results"]
    assert sorted(r["customer"] for r in responses) == ["C-other_rep", "C-rep"]
    first = next(r for r in responses if r["customer"] == "C-rep")
    assert first["survey"] == survey.pk
    assert [a["score"] for a in first["answers"] if a["kind"] == "score"] == [5, 5]
    assert "email" not in first and "token_hash" not in str(first)


def test_the_api_is_read_only(service, answered):
    """SUR-01"""
    survey, survey_round = answered
    client = api(service)
    assert client.post("/api/v1/surveys/", {"title": "x"}, format="json").status_code == 405
    assert client.patch(f"/api/v1/surveys/{survey.pk}/", {"title": "x"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/survey-rounds/{survey_round.pk}/").status_code == 405
    assert client.post("/api/v1/survey-responses/", {}, format="json").status_code == 405


def test_a_rep_sees_only_the_responses_of_their_own_customers_and_no_definitions(rep, other_rep, answered):
    """ORG-02"""
    survey, survey_round = answered
    client = api(rep)
    assert client.get("/api/v1/surveys/").json()["results"] == []
    assert client.get(f"/api/v1/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/api/v1/survey-rounds/{survey_round.pk}/").status_code == 404
    responses = client.get("/api/v1/survey-responses/").json()["results"]
    assert [r["customer"] for r in responses] == ["C-rep"]
    other = api(other_rep).get("/api/v1/survey-responses/").json()["results"][0]
    assert client.get(f"/api/v1/survey-responses/{other['id']}/").status_code == 404


def test_outsiders_and_anonymous_get_nothing(outsider, answered):
    """ORG-02"""
    survey, survey_round = answered
    client = api(outsider)
    for url in ("/api/v1/surveys/", "/api/v1/survey-rounds/", "/api/v1/survey-responses/"):
        assert client.get(url).json()["results"] == []
        assert api().get(url).status_code == 401
    assert client.get(f"/api/v1/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/api/v1/survey-rounds/{survey_round.pk}/").status_code == 404


def test_the_responses_endpoint_runs_a_constant_number_of_queries(service, rep):
    """SUR-03"""
    survey = make_survey()
    client = api(service)
    client.get("/api/v1/survey-responses/")
    counts = []
    for total in (5, 50):
        survey_round = make_round(survey, name=f"R{total}")
        for _ in range(total):
            _recipient, token = issue_link(survey_round, customer_with_contacts(rep))
            survey_answer(token=token, answers=answers_for(survey))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/survey-responses/", {"round": survey_round.pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
