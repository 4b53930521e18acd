"""Surveys: definitions, starting a round, answering, low scores (SUR-01, SUR-03)."""

import pytest
from django.core import mail

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from crm_project.surveys.models import (
    Answer,
    Recipient,
    Survey,
    SurveyFollowUp,
    SurveyResponse,
    SurveyRound,
    SurveySettings,
)
from crm_project.surveys.services.answers import MAX_TEXT_ANSWER, SurveyLinkError, follow_up_complete, survey_answer
from crm_project.surveys.services.rounds import survey_create, survey_round_start
from tests.customers.factories import ContactFactory, IndustryFactory
from tests.surveys.factories import (
    answers_for,
    customer_with_contacts,
    issue_link,
    links_in_outbox,
    make_round,
    make_survey,
)

pytestmark = pytest.mark.django_db


# --- definitions -----------------------------------------------------------------------------


def test_a_survey_has_score_choice_and_text_questions(service):
    """SUR-01"""
    survey = survey_create(
        actor=service,
        title="Quarterly satisfaction",
        questions=[
            {"kind": "score", "text": "Quality"},
            {"kind": "choice", "text": "Improve first", "choices": "Price\nService\n\nPrice"},
            {"kind": "text", "text": "Comments", "required": False},
        ],
    )
    kinds = [(q.order, q.kind, q.choices, q.required) for q in survey.questions.all()]
    assert kinds == [(1, "score", [], True), (2, "choice", ["Price", "Service"], True), (3, "text", [], False)]


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([], "at least one question"),
        ([{"kind": "choice", "text": "Pick", "choices": "Only one"}], "at least two choices"),
        ([{"kind": "stars", "text": "Rate us"}], "unknown kind"),
        ([{"kind": "score", "text": ""}], "has no text"),
    ],
)
def test_a_bad_survey_is_refused_and_nothing_is_created(service, questions, message):
    """SUR-01"""
    with pytest.raises(DomainError, match=message):
        survey_create(actor=service, title="Bad", questions=questions)
    assert not SurveyRound.objects.exists()
    assert not Survey.objects.filter(title="Bad").exists()


def test_a_rep_may_not_create_a_survey(rep):
    """SUR-01, ORG-02"""
    with pytest.raises(PermissionDenied):
        survey_create(actor=rep, title="Mine", questions=[{"kind": "score", "text": "Quality"}])


# --- rounds ----------------------------------------------------------------------------------


def test_a_round_goes_to_the_matching_contacts_with_an_email_each_with_their_own_link(
    service, rep, other_rep, django_capture_on_commit_callbacks
):
    """SUR-01: grade, industry and owner select; only active contacts with an e-mail of customers
    that are not archived; one personal link each, e-mailed once."""
    survey = make_survey()
    energy = IndustryFactory(code="energy", name_zh="能源", name_en="Energy")
    wanted = customer_with_contacts(rep, contacts=2, grade="A", industry=energy)
    customer_with_contacts(rep, grade="C", industry=energy)  # another grade
    customer_with_contacts(other_rep, grade="A", industry=energy)  # another owner
    customer_with_contacts(rep, grade="A")  # another industry
    archived = customer_with_contacts(rep, grade="A", industry=energy)
    archived.archived_at = archived.created_at
    archived.save(update_fields=["archived_at"])
    ContactFactory(customer=wanted, email="")  # no e-mail
    ContactFactory(customer=wanted, email="gone@example.com", active=False)

    with django_capture_on_commit_callbacks(execute=True):
        survey_round = survey_round_start(
            actor=service,
            survey=survey,
            name="Autumn",
            criteria={"grades": ["A"], "industries": ["energy"], "owners": [rep.pk]},
        )

    recipients = list(survey_round.recipients.order_by("pk"))
    assert {r.contact_id for r in recipients} == set(
        wanted.contacts.exclude(email="").filter(active=True).values_list("pk", flat=True)
    )
    assert len(recipients) == 2
    assert all(r.sent_at is not None for r in recipients)
    assert len(mail.outbox) == 2
    links = links_in_outbox()
    assert set(links) == {r.email for r in recipients}
    assert len(set(links.values())) == 2
    for recipient in recipients:
        token = links[recipient.email]
        assert len(token) >= 43
        # Only the hash is stored, never the token.
        assert recipient.token_hash != token and token not in recipient.token_hash
        assert token not in str(survey_round.criteria)
    assert "http://" in mail.outbox[0].body or "https://" in mail.outbox[0].body


def test_a_round_with_nobody_to_ask_is_refused(service, rep):
    """SUR-01"""
    survey = make_survey()
    customer_with_contacts(rep, grade="C")
    with pytest.raises(DomainError, match="No active contact"):
        survey_round_start(actor=service, survey=survey, name="Empty", criteria={"grades": ["A"]})
    assert not SurveyRound.objects.exists()


def test_unknown_criteria_are_refused(service, rep):
    """SUR-01"""
    survey = make_survey()
    customer_with_contacts(rep)
    with pytest.raises(DomainError, match="Unknown grade"):
        survey_round_start(actor=service, survey=survey, name="X", criteria={"grades": ["Z"]})
    with pytest.raises(DomainError, match="Unknown industry"):
        survey_round_start(actor=service, survey=survey, name="X", criteria={"industries": ["nope"]})
    assert not SurveyRound.objects.exists()


def test_a_rep_may_not_start_a_round(rep):
    """SUR-01"""
    survey = make_survey()
    customer_with_contacts(rep)
    with pytest.raises(PermissionDenied):
        survey_round_start(actor=rep, survey=survey, name="Mine")


# --- answering -------------------------------------------------------------------------------


def test_an_answer_is_recorded_once(rep):
    """SUR-01: the link works once; the second use is refused and changes nothing."""
    survey = make_survey()
    recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    response = survey_answer(token=token, answers=answers_for(survey, quality=4, delivery=5, text="Fine"))
    assert response.recipient == recipient
    assert sorted(
        (a.question.text, a.score, a.choice, a.text) for a in response.answers.select_related("question")
    ) == [
        ("Anything else?", None, "", "Fine"),
        ("Delivery", 5, "", ""),
        ("Improve first", None, "Price", ""),
        ("Product quality", 4, "", ""),
    ]
    recipient.refresh_from_db()
    assert recipient.responded_at is not None

    with pytest.raises(SurveyLinkError, match="already been answered") as refused:
        survey_answer(token=token, answers=answers_for(survey, quality=1))
    assert refused.value.state == "answered"
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.filter(score=1).count() == 0


def test_an_expired_link_is_refused(rep, time_machine):
    """SUR-01: the link expires after the setting's days."""
    time_machine.move_to("2026-11-02 10:00 +0800")
    survey = make_survey()
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(rep), days=30)
    time_machine.move_to("2026-12-02 10:01 +0800")
    with pytest.raises(SurveyLinkError, match="expired") as refused:
        survey_answer(token=token, answers=answers_for(survey))
    assert refused.value.state == "expired"
    assert not SurveyResponse.objects.exists()


def test_a_closed_round_refuses_answers(rep):
    """SUR-01"""
    survey = make_survey()
    survey_round = make_round(survey)
    _recipient, token = issue_link(survey_round, customer_with_contacts(rep))
    SurveyRound.objects.filter(pk=survey_round.pk).update(closed=True)
    with pytest.raises(SurveyLinkError, match="expired"):
        survey_answer(token=token, answers=answers_for(survey))


@pytest.mark.parametrize("token", ["", "x" * 500, "not-a-token-we-ever-sent"])
def test_an_unknown_link_is_refused(token):
    """SUR-01"""
    with pytest.raises(SurveyLinkError, match="not valid"):
        survey_answer(token=token, answers={})


def test_a_link_not_yet_emailed_does_not_work(rep):
    """SUR-01: a recipient's stored hash before sending belongs to no token anyone has."""
    survey = make_survey()
    recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    Recipient.objects.filter(pk=recipient.pk).update(sent_at=None)
    with pytest.raises(SurveyLinkError):
        survey_answer(token=token, answers=answers_for(survey))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quality": 7}, "from 1 to 5"),
        ({"quality": 0}, "from 1 to 5"),
        ({"quality": "five"}, "from 1 to 5"),
        ({"choice": "Free beer"}, "Pick one of the choices"),
        ({"text": "x" * (MAX_TEXT_ANSWER + 1)}, "under 2000 characters"),
        ({"quality": None}, "Please answer"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_recorded(rep, change, message):
    """SUR-01"""
    survey = make_survey()
    recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    with pytest.raises(DomainError, match=message):
        survey_answer(token=token, answers=answers_for(survey, **change))
    recipient.refresh_from_db()
    assert recipient.responded_at is None
    assert not SurveyResponse.objects.exists()
    # The link still works for a correct answer.
    survey_answer(token=token, answers=answers_for(survey))


def test_answers_to_another_surveys_questions_are_refused(rep):
    """SUR-01"""
    survey, other = make_survey(), make_survey(title="Other")
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    answers = answers_for(survey)
    answers[other.questions.first().pk] = 3
    with pytest.raises(DomainError, match="do not belong"):
        survey_answer(token=token, answers=answers)


# --- low scores ------------------------------------------------------------------------------


def test_a_low_score_opens_a_follow_up_for_the_owner_and_notifies_them(rep, django_capture_on_commit_callbacks):
    """SUR-03: a score at or below the setting (2) opens a follow-up for the customer's owner."""
    survey = make_survey()
    customer = customer_with_contacts(rep)
    _recipient, token = issue_link(make_round(survey), customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = survey_answer(token=token, answers=answers_for(survey, quality=2, delivery=3))
    follow_up = SurveyFollowUp.objects.get()
    assert follow_up.owner == rep
    assert follow_up.customer == customer
    assert follow_up.answer == response.answers.get(score=2)
    notification = Notification.objects.get(recipient=rep)
    assert notification.key == f"survey-followup:{follow_up.answer_id}"
    assert customer.name in notification.title


def test_the_low_score_threshold_is_a_setting(rep, django_capture_on_commit_callbacks):
    """SUR-03"""
    SurveySettings.objects.update_or_create(pk=1, defaults={"low_score": 3})
    survey = make_survey()
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    with django_capture_on_commit_callbacks(execute=True):
        survey_answer(token=token, answers=answers_for(survey, quality=3, delivery=4))
    assert SurveyFollowUp.objects.count() == 1


def test_good_scores_open_no_follow_up(rep, django_capture_on_commit_callbacks):
    """SUR-03"""
    survey = make_survey()
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    with django_capture_on_commit_callbacks(execute=True):
        survey_answer(token=token, answers=answers_for(survey, quality=3, delivery=5))
    assert not SurveyFollowUp.objects.exists()
    assert not Notification.objects.filter(kind="survey-followup").exists()


def test_the_owner_marks_a_follow_up_done_once_and_another_rep_may_not(rep, other_rep):
    """SUR-03"""
    survey = make_survey()
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(rep))
    survey_answer(token=token, answers=answers_for(survey, quality=1))
    follow_up = SurveyFollowUp.objects.get()
    with pytest.raises(PermissionDenied):
        follow_up_complete(actor=other_rep, follow_up=follow_up, note="Not mine")
    follow_up_complete(actor=rep, follow_up=follow_up, note="Called, solved.")
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None and follow_up.note == "Called, solved."
    with pytest.raises(DomainError, match="already done"):
        follow_up_complete(actor=rep, follow_up=follow_up)


def test_the_demo_survey_is_idempotent(rep, other_rep):
    """SUR-01 … SUR-03: a closed round answered by most, with two follow-ups, and an open round."""
    from crm_project.surveys import demo as demo_surveys
    from tests.customers.factories import CustomerFactory

    for index in range(16):
        customer = CustomerFactory(code=f"DEMO{index:04d}", owner=(rep, other_rep)[index % 2], grade="ABCD"[index % 4])
        ContactFactory(customer=customer)  # the demo contacts have no e-mail until the survey demo gives them one
        ContactFactory(customer=customer)
    demo_surveys.seed()
    counts = (SurveyRound.objects.count(), Recipient.objects.count(), SurveyResponse.objects.count())
    demo_surveys.seed()
    assert (SurveyRound.objects.count(), Recipient.objects.count(), SurveyResponse.objects.count()) == counts
    closed, open_round = SurveyRound.objects.order_by("started_at")
    assert closed.closed and not open_round.closed
    assert closed.recipients.count() == 16 and open_round.recipients.count() == 32
    assert closed.recipients.filter(responded_at__isnull=False).count() > closed.recipients.count() / 2
    assert SurveyFollowUp.objects.count() == 2
    assert SurveyFollowUp.objects.filter(done_at__isnull=True).count() == 1
    assert [q.kind for q in closed.survey.questions.all()] == ["score", "score", "score", "choice", "text"]
