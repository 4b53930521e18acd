"""Builders for the survey tests: a survey with every kind of question, customers with
contacts that have an e-mail, and the personal links as the recipients receive them."""

import re
import secrets
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from crm_project.surveys.models import Question, QuestionKind, Recipient, Survey, SurveyRound
from crm_project.surveys.services.rounds import token_hash
from tests.customers.factories import ContactFactory, CustomerFactory

LINK = re.compile(r"/surveys/answer/([A-Za-z0-9_-]+)/")


def make_survey(*, title="Customer satisfaction", scheduled=False, active=True) -> Survey:
    survey = Survey.objects.create(
        title=title, introduction="Tell us how we are doing.", scheduled=scheduled, active=active
    )
    Question.objects.bulk_create(
        [
            Question(survey=survey, order=1, kind=QuestionKind.SCORE, text="Product quality"),
            Question(survey=survey, order=2, kind=QuestionKind.SCORE, text="Delivery"),
            Question(
                survey=survey, order=3, kind=QuestionKind.CHOICE, text="Improve first", choices=["Price", "Service"]
            ),
            Question(survey=survey, order=4, kind=QuestionKind.TEXT, text="Anything else?", required=False),
        ]
    )
    return survey


def questions(survey: Survey) -> dict[str, Question]:
    """The survey's questions by text."""
    return {question.text: question for question in survey.questions.all()}


def customer_with_contacts(owner, *, contacts=1, grade="C", **kwargs):
    customer = CustomerFactory(owner=owner, grade=grade, **kwargs)
    for _ in range(contacts):
        contact = ContactFactory(customer=customer)
        contact.email = f"contact{contact.pk}@example.com"
        contact.save(update_fields=["email"])
    return customer


def make_round(survey: Survey, *, name="Round", closes_in_days=30) -> SurveyRound:
    return SurveyRound.objects.create(
        survey=survey, name=name, closes_at=timezone.now() + timedelta(days=closes_in_days)
    )


def issue_link(survey_round: SurveyRound, customer, *, days=30) -> tuple[Recipient, str]:
    """A recipient with a link "already e-mailed" (the raw token is returned, as the e-mail has it)."""
    contact = customer.contacts.first()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    recipient = Recipient.objects.create(
        round=survey_round,
        customer=customer,
        contact=contact,
        name=contact.name,
        email=contact.email or "someone@example.com",
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=days),
        sent_at=now,
    )
    return recipient, token


def answers_for(survey: Survey, *, quality=4, delivery=5, choice="Price", text="") -> dict:
    by_text = questions(survey)
    return {
        by_text["Product quality"].pk: quality,
        by_text["Delivery"].pk: delivery,
        by_text["Improve first"].pk: choice,
        by_text["Anything else?"].pk: text,
    }


def links_in_outbox() -> dict[str, str]:
    """E-mail address → the token of the link e-mailed to it."""
    links = {}
    for message in mail.outbox:
        found = LINK.search(message.body)
        if found:
            for address in message.to:
                links[address] = found.group(1)
    return links
