"""Tenant satisfaction surveys: rounds to tenant contacts, results by floor and business type,
the twice-a-year schedule and the operations follow-up of a low score (SUR-01 … SUR-03,
JOB-05, TEN-01, ORG-02)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.models import Notification
from crm_project.surveys.models import Recipient, SurveyAudience, SurveyFollowUp, SurveyRound
from crm_project.surveys.selectors import round_results
from crm_project.surveys.services.answers import follow_up_complete, survey_answer
from crm_project.surveys.services.rounds import scheduled_rounds_start, survey_create, survey_round_start
from tenants.services.tenants import tenant_move_out
from tests.surveys.factories import answers_for, links_in_outbox, make_survey
from tests.tenants.factories import TenantFactory

pytestmark = pytest.mark.django_db


def _tenant(desk, n, *, floor="1F", business_type="餐饮", email=True):
    contact = {"name": f"店长{n}", "role": "店长", "phone": f"1390000{n:04d}"}
    if email:
        contact["email"] = f"shop{n}@example.com"
    return TenantFactory(actor=desk, floor=floor, business_type=business_type, contacts=[contact])


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(service, **kwargs)`: call it and run what it sends after commit (the
    invitations, the notifications), as in production."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def tenant_survey():
    survey = make_survey(title="Tenant satisfaction")
    survey.audience = SurveyAudience.TENANTS
    survey.save(update_fields=["audience"])
    return survey


@pytest.fixture
def shops(desk):
    gone = _tenant(desk, 5, floor="1F")
    tenant_move_out(actor=desk, tenant=gone)
    return [
        _tenant(desk, 1, floor="1F", business_type="餐饮"),
        _tenant(desk, 2, floor="1F", business_type="零售"),
        _tenant(desk, 3, floor="2F", business_type="餐饮"),
        _tenant(desk, 4, floor="2F", email=False),
    ]


def test_a_round_addresses_the_contacts_of_current_tenants_by_floor(desk, ops_manager, tenant_survey, shops, committed):
    """SUR-01: a tenant round picks tenant contacts with an e-mail, here on one floor, and each
    is e-mailed a personal link; a moved-out shop is not addressed."""
    survey_round = committed(
        survey_round_start, actor=desk, survey=tenant_survey, name="2026 H2", criteria={"floors": ["1F"]}
    )
    recipients = Recipient.objects.filter(round=survey_round)
    assert {r.tenant_id for r in recipients} == {shops[0].pk, shops[1].pk}
    assert all(r.tenant_contact_id and r.customer_id is None for r in recipients)
    assert set(links_in_outbox()) == {"shop1@example.com", "shop2@example.com"}


def test_tenant_round_refusals(desk, service, tenant_survey, shops):
    """SUR-01, TEN-01: customer service does not run the tenants' surveys; an unknown floor is
    refused; a floor whose tenants have no e-mail has nobody to ask."""
    with pytest.raises(PermissionDenied):
        survey_round_start(actor=service, survey=tenant_survey, name="x")
    with pytest.raises(DomainError) as unknown:
        survey_round_start(actor=desk, survey=tenant_survey, name="x", criteria={"floors": ["9F"]})
    assert unknown.value.field == "floors"
    with pytest.raises(DomainError):
        survey_round_start(actor=desk, survey=tenant_survey, name="x", criteria={"business_types": ["服务"]})
    assert not SurveyRound.objects.exists()


def test_operations_creates_a_tenant_survey_but_not_a_customer_one(desk):
    """SUR-01: the desk's surveys are the tenants'."""
    survey = survey_create(
        actor=desk, title="租户满意度", audience=SurveyAudience.TENANTS, questions=[{"kind": "score", "text": "服务"}]
    )
    assert survey.audience == SurveyAudience.TENANTS
    with pytest.raises(PermissionDenied):
        survey_create(actor=desk, title="客户", questions=[{"kind": "score", "text": "质量"}])


def test_results_group_by_floor_and_business_type(desk, ops_manager, tenant_survey, shops, committed):
    """SUR-03: response rate and averages per floor and per business type."""
    survey_round = committed(survey_round_start, actor=desk, survey=tenant_survey, name="2026 H2")
    links = links_in_outbox()
    survey_answer(token=links["shop1@example.com"], answers=answers_for(tenant_survey, quality=4, delivery=4))
    survey_answer(token=links["shop3@example.com"], answers=answers_for(tenant_survey, quality=2, delivery=4))
    results = round_results(survey_round)
    by_floor = {group.label: group for group in results["by_floor"]}
    assert (by_floor["1F"].recipients, by_floor["1F"].responses) == (2, 1)
    assert (by_floor["2F"].recipients, by_floor["2F"].responses) == (1, 1)
    assert str(by_floor["2F"].average) == "3.00"
    by_type = {group.label: group for group in results["by_business_type"]}
    assert (by_type["餐饮"].recipients, by_type["餐饮"].responses) == (2, 2)
    assert "by_grade" not in results


def test_a_low_tenant_score_opens_a_follow_up_for_operations(desk, ops_manager, tenant_survey, shops, committed):
    """SUR-03: a score at or below the low score opens a follow-up for the operations manager,
    who is notified; operations completes it."""
    committed(survey_round_start, actor=desk, survey=tenant_survey, name="2026 H2")
    links = links_in_outbox()
    mail.outbox.clear()
    committed(
        survey_answer, token=links["shop1@example.com"], answers=answers_for(tenant_survey, quality=1, delivery=5)
    )
    follow_up = SurveyFollowUp.objects.get()
    assert (follow_up.tenant_id, follow_up.customer_id, follow_up.owner_id) == (shops[0].pk, None, ops_manager.pk)
    assert Notification.objects.filter(recipient=ops_manager, kind="survey-followup").count() == 1
    follow_up_complete(actor=desk, follow_up=follow_up, note="回访店长，已调整保洁时间")
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_tenant_rounds_are_scheduled_twice_a_year(desk, ops_manager, tenant_survey, shops):
    """SUR-02, JOB-05: a scheduled tenant survey gets one round per half year; a second run in
    the same half starts nothing."""
    tenant_survey.scheduled = True
    tenant_survey.save(update_fields=["scheduled"])
    assert [r.period for r in scheduled_rounds_start(today=date(2026, 3, 2))] == ["2026-H1"]
    assert scheduled_rounds_start(today=date(2026, 5, 29)) == []
    assert [r.period for r in scheduled_rounds_start(today=date(2026, 7, 1))] == ["2026-H2"]


def test_tenant_survey_pages_belong_to_the_desk(
    client_for, desk, ops_manager, rep, manager, tenant_survey, shops, committed
):
    """TEN-01, ORG-02: the desk opens the tenant survey, its round and results; a sales rep and
    a sales manager (who see customer surveys) get 404 on it; the follow-up list shows them
    nothing of the tenants'."""
    survey_round = committed(survey_round_start, actor=desk, survey=tenant_survey, name="2026 H2")
    survey_answer(token=links_in_outbox()["shop1@example.com"], answers=answers_for(tenant_survey, quality=1))
    desk_client = client_for(desk)
    round_page = desk_client.get(reverse("surveys:round_detail", args=[survey_round.pk]))
    assert round_page.status_code == 200
    assert 'id="by-floor"' in round_page.content.decode()
    assert desk_client.get(reverse("surveys:survey_detail", args=[tenant_survey.pk])).status_code == 200
    follow_ups = desk_client.get(reverse("surveys:follow_up_list")).content.decode()
    assert shops[0].shop_name in follow_ups
    for outsider in (rep, manager):
        client = client_for(outsider)
        assert client.get(reverse("surveys:survey_detail", args=[tenant_survey.pk])).status_code == 404
        assert client.get(reverse("surveys:round_detail", args=[survey_round.pk])).status_code == 404
        assert shops[0].shop_name not in client.get(reverse("surveys:follow_up_list")).content.decode()
        assert client.get(f"/api/v1/survey-responses/?tenant={shops[0].pk}").json()["count"] == 0
    assert client_for(desk).get(f"/api/v1/survey-responses/?tenant={shops[0].pk}").json()["count"] == 1
    customer_survey = make_survey(title="Customer satisfaction")
    assert desk_client.get(reverse("surveys:survey_detail", args=[customer_survey.pk])).status_code == 404
    assert "Customer satisfaction" not in desk_client.get(reverse("surveys:survey_list")).content.decode()


def test_a_tenant_round_started_on_the_page_with_a_bad_floor_writes_nothing(client_for, desk, tenant_survey, shops):
    """SUR-01: the start form refuses a floor that is not one of the current tenants' (400)."""
    response = client_for(desk).post(
        reverse("surveys:round_start", args=[tenant_survey.pk]), {"name": "2026 H2", "floors": ["9F"]}
    )
    assert response.status_code == 400
    assert not SurveyRound.objects.exists()
    response = client_for(desk).post(
        reverse("surveys:round_start", args=[tenant_survey.pk]), {"name": "2026 H2", "floors": ["2F"]}
    )
    assert response.status_code == 302
    assert Recipient.objects.get().tenant_id == shops[2].pk


def test_my_work_shows_the_follow_ups_opened_for_me(client_for, desk, ops_manager, tenant_survey, shops, committed):
    """SUR-03, DSH-02: the operations manager finds the tenant's low score on "My work"; the
    desk clerk, for whom it was not opened, does not."""
    committed(survey_round_start, actor=desk, survey=tenant_survey, name="2026 H2")
    answers = answers_for(tenant_survey, quality=1, delivery=5)
    committed(survey_answer, token=links_in_outbox()["shop1@example.com"], answers=answers)
    page = client_for(ops_manager).get(reverse("core:my_work")).content.decode()
    assert 'id="survey-follow-ups-mine"' in page and shops[0].shop_name in page
    assert 'id="survey-follow-ups-mine"' not in client_for(desk).get(reverse("core:my_work")).content.decode()
