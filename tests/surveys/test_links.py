"""The public answer page of a personal survey link (SUR-01): no login, works once, expires,
shows nothing but the survey and the recipient's first name, renders answers inert."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from crm_project.surveys.models import Answer, Recipient, SurveyResponse
from tests.surveys.factories import customer_with_contacts, issue_link, make_round, make_survey, questions

pytestmark = pytest.mark.django_db


def _post_data(survey, *, quality="4", delivery="5", choice="Price", text=""):
    by_text = questions(survey)
    return {
        f"q{by_text['Product quality'].pk}": quality,
        f"q{by_text['Delivery'].pk}": delivery,
        f"q{by_text['Improve first'].pk}": choice,
        f"q{by_text['Anything else?'].pk}": text,
    }


def english() -> Client:
    """An anonymous visitor whose browser asks for English."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def link(rep):
    survey = make_survey()
    customer = customer_with_contacts(rep, name="秘密客户有限公司")
    recipient, token = issue_link(make_round(survey), customer)
    Recipient.objects.filter(pk=recipient.pk).update(name="Anna Smith")
    return survey, recipient, token


def test_the_page_needs_no_login_and_shows_only_the_survey_and_the_first_name(link):
    """SUR-01, CUS-07"""
    survey, recipient, token = link
    response = english().get(reverse("surveys:answer", args=[token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert survey.title in page and "Tell us how we are doing." in page
    assert "Anna" in page and "Smith" not in page
    assert "秘密客户有限公司" not in page
    assert recipient.email not in page
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    # 1–5 as a group of large buttons.
    assert page.count('class="btn-check"') >= 10
    assert "btn-lg" in page


def test_answering_shows_the_thank_you_page_and_the_link_then_says_already_answered(link):
    """SUR-01"""
    survey, recipient, token = link
    client = english()
    response = client.post(reverse("surveys:answer", args=[token]), _post_data(survey, text="Very good"))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:answer_thanks", args=[token])
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.content.decode()
    assert SurveyResponse.objects.filter(recipient=recipient).count() == 1

    again = client.get(reverse("surveys:answer", args=[token]))
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    reused = client.post(reverse("surveys:answer", args=[token]), _post_data(survey, quality="1"))
    assert reused.status_code == 410
    assert SurveyResponse.objects.count() == 1
    assert not Answer.objects.filter(score=1).exists()


def test_an_expired_link_shows_a_clear_page(link, time_machine):
    """SUR-01"""
    survey, recipient, token = link
    time_machine.move_to(recipient.expires_at + timedelta(seconds=1))
    response = english().get(reverse("surveys:answer", args=[token]))
    assert response.status_code == 404
    assert "expired" in response.content.decode()
    posted = english().post(reverse("surveys:answer", args=[token]), _post_data(survey))
    assert posted.status_code == 404
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("token", ["unknown-token", "x" * 300])
def test_an_unknown_link_shows_a_clear_page(token):
    """SUR-01"""
    response = english().get(reverse("surveys:answer", args=[token]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    thanks = english().get(reverse("surveys:answer_thanks", args=[token]))
    assert thanks.status_code == 404


def test_the_thank_you_page_of_an_unanswered_link_leads_back_to_the_survey(link):
    _survey, _recipient, token = link
    response = english().get(reverse("surveys:answer_thanks", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:answer", args=[token])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quality": "7"}, "Pick one of the choices offered."),
        ({"choice": "Free beer"}, "Pick one of the choices offered."),
        ({"quality": ""}, "Please answer this question."),
        ({"text": "x" * 2001}, "Please keep the answer under 2000 characters."),
    ],
)
def test_bad_input_is_answered_with_a_message_and_nothing_is_recorded(link, change, message):
    """SUR-01: score 7, an unknown choice, a missing required answer, an oversized text."""
    survey, recipient, token = link
    response = english().post(reverse("surveys:answer", args=[token]), _post_data(survey, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.responded_at is None
    assert not SurveyResponse.objects.exists()


def test_a_script_in_a_text_answer_is_rendered_inert(link, client_for, manager):
    """SUR-01, SUR-03: free text is shown escaped on the results page and the customer's timeline."""
    survey, recipient, token = link
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    english().post(reverse("surveys:answer", args=[token]), _post_data(survey, text=script))
    assert Answer.objects.filter(text=script).exists()
    client = client_for(manager)
    results = client.get(reverse("surveys:round_detail", args=[recipient.round_id])).content.decode()
    assert script not in results
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in results
    timeline = client.get(reverse("customers:customer_detail", args=[recipient.customer_id])).content.decode()
    assert script not in timeline
    assert "&lt;script&gt;" in timeline

    # A script re-submitted to the form is also shown inert when the form comes back with an error.
    _other, other_token = issue_link(
        make_round(survey, name="Second"), customer_with_contacts(recipient.customer.owner)
    )
    page = (
        english()
        .post(reverse("surveys:answer", args=[other_token]), _post_data(survey, quality="9", text=script))
        .content.decode()
    )
    assert script not in page and "&lt;script&gt;" in page
