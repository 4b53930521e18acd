"""A customer contact answers a satisfaction survey on a phone through their personal link
(SUR-01): large 1–5 buttons, no login, then the thank-you page; the link then says it was used."""

import pytest

from crm_project.surveys.models import SurveyResponse
from tests.factories import UserFactory
from tests.surveys.factories import customer_with_contacts, issue_link, make_round, make_survey, questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000


def test_a_contact_answers_the_survey_on_a_phone(live_server, chromium, sales):
    from playwright.sync_api import expect

    owner = UserFactory(username="survey_owner", department=sales)
    survey = make_survey()
    _recipient, token = issue_link(make_round(survey), customer_with_contacts(owner))
    by_text = questions(survey)
    url = f"{live_server.url}/surveys/answer/{token}/"

    phone = chromium.new_context(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        page = phone.new_page()
        page.goto(url)
        expect(page.locator("#survey-title")).to_have_text(survey.title)
        # The page fits the phone's width: nothing scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        quality = by_text["Product quality"].pk
        five = page.locator(f"label[for=id_q{quality}_4]")
        box = five.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44  # a thumb-sized target
        five.tap()
        page.locator(f"label[for=id_q{by_text['Delivery'].pk}_3]").tap()
        page.get_by_text("Service", exact=True).tap()
        page.locator(f"textarea[name=q{by_text['Anything else?'].pk}]").fill("<b>Fast</b> and friendly")
        with page.expect_navigation():
            page.locator("#survey-submit").tap()
        expect(page.locator("#survey-thanks")).to_contain_text("Thank you")

        page.goto(url)
        expect(page.locator("#survey-link-gone")).to_contain_text("already been answered")
    finally:
        phone.close()

    response = SurveyResponse.objects.get()
    scores = {a.question.text: a.score for a in response.answers.select_related("question") if a.score}
    assert scores == {"Product quality": 5, "Delivery": 4}
    assert response.answers.get(question__text="Improve first").choice == "Service"
    assert response.answers.get(question__text="Anything else?").text == "<b>Fast</b> and friendly"
