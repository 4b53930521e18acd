"""Survey pages: results of a round, the survey and round forms, the follow-ups, and who may
see them (SUR-01, SUR-03, ORG-02)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from crm_project.surveys.models import Recipient, Survey, SurveyFollowUp, SurveyRound
from crm_project.surveys.selectors import round_results
from crm_project.surveys.services.answers import survey_answer
from crm_project.surveys.timeline import survey_answer_entries
from tests.surveys.factories import (
    answers_for,
    customer_with_contacts,
    issue_link,
    make_round,
    make_survey,
)

pytestmark = pytest.mark.django_db


def _answered_round(rep, other_rep, *, extra=0):
    """Four recipients: rep's A customer answers 5/4, rep's B customer 2/3, other_rep's A
    customer 4/5 with a comment, other_rep's C customer does not answer; plus `extra` answers."""
    survey = make_survey()
    survey_round = make_round(survey, name="Q4")
    for owner, grade, quality, delivery, text in [
        (rep, "A", 5, 4, ""),
        (rep, "B", 2, 3, "Late twice"),
        (other_rep, "A", 4, 5, "Great service"),
    ]:
        _recipient, token = issue_link(survey_round, customer_with_contacts(owner, grade=grade))
        survey_answer(token=token, answers=answers_for(survey, quality=quality, delivery=delivery, text=text))
    issue_link(survey_round, customer_with_contacts(other_rep, grade="C"))
    for _ in range(extra):
        _recipient, token = issue_link(survey_round, customer_with_contacts(rep, grade="D"))
        survey_answer(token=token, answers=answers_for(survey, quality=3, delivery=3, text="ok"))
    return survey, survey_round


def test_the_results_figures(rep, other_rep):
    """SUR-03: response rate, average per question, per grade and per owner, free texts."""
    _survey, survey_round = _answered_round(rep, other_rep)
    results = round_results(survey_round)
    assert (results["recipients"], results["sent"], results["responses"]) == (4, 4, 3)
    assert results["rate"] == Decimal("75.0")
    averages = {r.question.text: r.average for r in results["question_results"]}
    assert averages["Product quality"] == Decimal("3.67")
    assert averages["Delivery"] == Decimal("4.00")
    choice = next(r for r in results["question_results"] if r.question.text == "Improve first")
    assert choice.choices == [("Price", 3), ("Service", 0)]

    by_grade = {g.label: g for g in results["by_grade"]}
    assert (by_grade["A"].recipients, by_grade["A"].responses, by_grade["A"].rate) == (2, 2, Decimal("100.0"))
    assert by_grade["A"].cells == [Decimal("4.50"), Decimal("4.50")]
    assert by_grade["A"].average == Decimal("4.50")
    assert by_grade["C"].responses == 0 and by_grade["C"].average is None

    by_owner = {g.key: g for g in results["by_owner"]}
    assert (by_owner[rep.pk].recipients, by_owner[rep.pk].responses) == (2, 2)
    assert by_owner[rep.pk].cells == [Decimal("3.50"), Decimal("3.50")]
    assert by_owner[other_rep.pk].rate == Decimal("50.0")
    by_department = results["by_department"]
    assert len(by_department) == 1 and by_department[0].recipients == 4

    assert sorted(a.text for a in results["texts"]) == ["Great service", "Late twice"]


def test_the_trend_runs_across_the_surveys_rounds(rep, other_rep):
    """SUR-03"""
    survey, _first = _answered_round(rep, other_rep)
    second = make_round(survey, name="Q1")
    _recipient, token = issue_link(second, customer_with_contacts(rep))
    survey_answer(token=token, answers=answers_for(survey, quality=1, delivery=5))
    trend = round_results(second)["trend"]
    assert trend["rounds"] == ["Q4", "Q1"]
    assert trend["series"] == [
        {"name": "Product quality", "data": [3.67, 1.0]},
        {"name": "Delivery", "data": [4.0, 5.0]},
    ]


def test_the_results_page_shows_the_figures_and_the_chart(client_for, manager, rep, other_rep):
    """SUR-03"""
    _survey, survey_round = _answered_round(rep, other_rep)
    response = client_for(manager).get(reverse("surveys:round_detail", args=[survey_round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="figure-rate">75.0%' in page
    assert "3.67" in page
    assert 'id="survey-trend-data"' in page and "echarts.min.js" in page
    assert "Great service" in page


def test_the_results_page_runs_a_constant_number_of_queries(client_for, manager, rep, other_rep):
    """SUR-03: 5 vs 50 responses."""
    _survey, few = _answered_round(rep, other_rep, extra=2)
    _survey, many = _answered_round(rep, other_rep, extra=47)
    client = client_for(manager)
    client.get(reverse("surveys:round_detail", args=[few.pk]))
    counts = []
    for survey_round in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("surveys:round_detail", args=[survey_round.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_follow_up_list_runs_a_constant_number_of_queries(client_for, rep):
    """SUR-03"""
    survey = make_survey()
    client = client_for(rep)
    counts = []
    for total in (1, 10):
        survey_round = make_round(survey, name=f"R{total}")
        for _ in range(total):
            _recipient, token = issue_link(survey_round, customer_with_contacts(rep))
            survey_answer(token=token, answers=answers_for(survey, quality=1))
        client.get(reverse("surveys:follow_up_list"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("surveys:follow_up_list")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_round_is_exported_to_excel_one_row_per_response(client_for, manager, rep, other_rep):
    """SUR-03, DSH-03"""
    _survey, survey_round = _answered_round(rep, other_rep)
    response = client_for(manager).get(reverse("surveys:round_export", args=[survey_round.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-4:] == ("Product quality", "Delivery", "Improve first", "Anything else?")
    assert len(rows) == 4
    assert sorted(row[-4] for row in rows[1:]) == [2, 4, 5]
    assert ExportLog.objects.filter(user=manager, name=f"survey-round-{survey_round.pk}").exists()


def test_a_survey_is_created_with_its_questions_through_the_form(client_for, service):
    """SUR-01"""
    data = {
        "title": "Service survey",
        "introduction": "Two minutes.",
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
        "questions-0-text": "Overall",
        "questions-0-kind": "score",
        "questions-0-required": "on",
        "questions-1-text": "Which office",
        "questions-1-kind": "choice",
        "questions-1-choices": "Shanghai\nShenzhen",
        "questions-1-required": "on",
        "questions-2-text": "",
        "questions-2-kind": "score",
        "questions-2-required": "on",
    }
    response = client_for(service).post(reverse("surveys:survey_create"), data)
    survey = Survey.objects.get(title="Service survey")
    assert response.status_code == 302
    assert [(q.kind, q.choices) for q in survey.questions.all()] == [
        ("score", []),
        ("choice", ["Shanghai", "Shenzhen"]),
    ]

    data["questions-1-choices"] = "Only one"
    data["title"] = "Bad survey"
    bad = client_for(service).post(reverse("surveys:survey_create"), data)
    assert bad.status_code == 400
    assert not Survey.objects.filter(title="Bad survey").exists()


def test_a_round_is_started_by_hand_from_the_survey_page(client_for, service, rep, django_capture_on_commit_callbacks):
    """SUR-01, SUR-02: by grade, industry and owner."""
    survey = make_survey()
    customer_with_contacts(rep, grade="A")
    customer_with_contacts(rep, grade="D")
    client = client_for(service)
    assert client.get(reverse("surveys:survey_detail", args=[survey.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys:round_start", args=[survey.pk]), {"name": "Grade A", "grades": ["A"], "owners": [rep.pk]}
        )
    survey_round = SurveyRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:round_detail", args=[survey_round.pk])
    assert survey_round.recipients.count() == 1
    assert survey_round.criteria == {"grades": ["A"], "industries": [], "owners": [rep.pk]}
    assert len(mail.outbox) == 1

    nobody = client.post(reverse("surveys:round_start", args=[survey.pk]), {"name": "None", "grades": ["B"]})
    assert nobody.status_code == 400
    assert "No active contact" in nobody.content.decode()
    assert SurveyRound.objects.count() == 1


def test_a_manager_closes_a_round(client_for, manager, rep):
    """SUR-01"""
    survey = make_survey()
    survey_round = make_round(survey)
    _recipient, token = issue_link(survey_round, customer_with_contacts(rep))
    client_for(manager).post(reverse("surveys:round_close", args=[survey_round.pk]))
    survey_round.refresh_from_db()
    assert survey_round.closed
    assert client_for(rep).get(reverse("surveys:answer", args=[token])).status_code == 404


# --- who sees what ---------------------------------------------------------------------------


def test_reps_and_outsiders_get_403_or_404_on_every_survey_admin_page(client_for, rep, other_rep, outsider, gm):
    """ORG-02, SUR-03: survey definitions, rounds and results are for customer service, sales
    managers/directors and management; management reads only."""
    survey, survey_round = _answered_round(rep, other_rep)
    for user in (rep, outsider):
        client = client_for(user)
        assert client.get(reverse("surveys:survey_list")).status_code == 403
        assert client.get(reverse("surveys:survey_create")).status_code == 403
        assert client.get(reverse("surveys:survey_detail", args=[survey.pk])).status_code == 404
        assert client.post(reverse("surveys:round_start", args=[survey.pk]), {"name": "x"}).status_code == 404
        assert client.get(reverse("surveys:round_detail", args=[survey_round.pk])).status_code == 404
        assert client.get(reverse("surveys:round_export", args=[survey_round.pk])).status_code == 404
        assert client.post(reverse("surveys:round_close", args=[survey_round.pk])).status_code == 404
    client = client_for(gm)
    assert client.get(reverse("surveys:round_detail", args=[survey_round.pk])).status_code == 200
    assert client.post(reverse("surveys:round_close", args=[survey_round.pk])).status_code == 403
    assert client.post(reverse("surveys:round_start", args=[survey.pk]), {"name": "x"}).status_code == 403
    assert client.get(reverse("surveys:survey_create")).status_code == 403
    assert not SurveyRound.objects.filter(closed=True).exists()


def test_a_rep_sees_only_the_follow_ups_of_their_own_customers(client_for, rep, other_rep, manager, outsider):
    """SUR-03, ORG-02"""
    survey = make_survey()
    survey_round = make_round(survey)
    mine, theirs = customer_with_contacts(rep, name="Mine Ltd"), customer_with_contacts(other_rep, name="Theirs Ltd")
    for customer in (mine, theirs):
        _recipient, token = issue_link(survey_round, customer)
        survey_answer(token=token, answers=answers_for(survey, quality=1))
    theirs_follow_up = SurveyFollowUp.objects.get(customer=theirs)

    page = client_for(rep).get(reverse("surveys:follow_up_list")).content.decode()
    assert "Mine Ltd" in page and "Theirs Ltd" not in page
    response = client_for(rep).post(reverse("surveys:follow_up_done", args=[theirs_follow_up.pk]), {"note": "x"})
    assert response.status_code == 404
    theirs_follow_up.refresh_from_db()
    assert theirs_follow_up.done_at is None

    manager_page = client_for(manager).get(reverse("surveys:follow_up_list")).content.decode()
    assert "Mine Ltd" in manager_page and "Theirs Ltd" in manager_page
    assert client_for(outsider).get(reverse("surveys:follow_up_list")).status_code == 403
    assert client_for(outsider).post(reverse("surveys:follow_up_done", args=[theirs_follow_up.pk])).status_code == 404


def test_the_owner_marks_their_follow_up_done_from_the_list(client_for, rep):
    """SUR-03"""
    survey = make_survey()
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    survey_answer(token=token, answers=answers_for(survey, quality=2))
    follow_up = SurveyFollowUp.objects.get()
    client = client_for(rep)
    response = client.post(
        reverse("surveys:follow_up_done", args=[follow_up.pk]), {"note": "Called; a discount agreed."}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None and follow_up.note == "Called; a discount agreed."
    open_only = client.get(reverse("surveys:follow_up_list"), {"state": "open"}).content.decode()
    assert 'id="empty-state"' in open_only


def test_survey_answers_appear_on_the_customers_timeline(client_for, rep, django_assert_num_queries):
    """CUS-08, SUR-03"""
    survey = make_survey()
    customer = customer_with_contacts(rep)
    _recipient, token = issue_link(make_round(survey), customer)
    survey_answer(token=token, answers=answers_for(survey, quality=2, delivery=5, text="Faster please"))
    page = client_for(rep).get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert 'data-kind="survey"' in page
    assert "Survey answered: Customer satisfaction" in page
    assert "Faster please" in page and "2/5" in page
    with django_assert_num_queries(1):
        entries = survey_answer_entries(customer, 50)
    assert [entry.highlight for entry in entries] == [True]
    _recipient, token = issue_link(make_round(survey, name="Again"), customer_with_contacts(rep))
    Recipient.objects.filter(pk=_recipient.pk).update(customer=customer)
    survey_answer(token=token, answers=answers_for(survey, quality=5, delivery=5))
    with django_assert_num_queries(1):
        assert len(survey_answer_entries(customer, 50)) == 2


def test_the_navigation_shows_surveys_to_customer_service_and_follow_ups_to_reps(client_for, service, rep, outsider):
    """SUR-03"""
    assert 'data-nav="surveys"' in client_for(service).get("/").content.decode()
    rep_page = client_for(rep).get("/").content.decode()
    assert 'data-nav="surveys"' not in rep_page and 'data-nav="survey-follow-ups"' in rep_page
    outsider_page = client_for(outsider).get("/").content.decode()
    assert 'data-nav="surveys"' not in outsider_page and 'data-nav="survey-follow-ups"' not in outsider_page


def test_the_follow_ups_link_only_the_customers_the_viewer_may_open(client_for, rep, manager, service):
    """SUR-03, ORG-02, CUS-07: customer service sees every follow-up but no customer page, so it
    gets the name without a link (the link would answer 404); the manager gets the link."""
    survey = make_survey()
    customer = customer_with_contacts(rep, name="Linked Ltd")
    _recipient, token = issue_link(make_round(survey), customer)
    survey_answer(token=token, answers=answers_for(survey, quality=1))
    link = f'href="{reverse("customers:customer_detail", args=[customer.pk])}"'

    service_page = client_for(service).get(reverse("surveys:follow_up_list")).content.decode()
    assert "Linked Ltd" in service_page and link not in service_page
    assert client_for(service).get(reverse("customers:customer_detail", args=[customer.pk])).status_code == 404
    manager_page = client_for(manager).get(reverse("surveys:follow_up_list")).content.decode()
    assert link in manager_page
