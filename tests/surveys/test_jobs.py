"""Scheduled survey rounds and the invitation e-mails (SUR-02, JOB-05, JOB-09)."""

import threading
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from crm_project.core.errors import DomainError
from crm_project.core.jobs import load_all_jobs
from crm_project.core.schedules import SCHEDULES
from crm_project.surveys.models import Recipient, SurveyRound, SurveySettings
from crm_project.surveys.services.rounds import (
    round_period,
    scheduled_rounds_start,
    survey_invitations_send,
    survey_round_start,
)
from crm_project.surveys.tasks import scheduled_survey_rounds, send_survey_invitations
from tests.surveys.factories import customer_with_contacts, links_in_outbox, make_survey

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "period"),
    [
        (date(2026, 11, 23), 3, "2026-Q4"),
        (date(2026, 1, 1), 3, "2026-Q1"),
        (date(2026, 6, 30), 6, "2026-H1"),
        (date(2026, 7, 1), 6, "2026-H2"),
        (date(2026, 11, 23), 12, "2026"),
        (date(2026, 11, 23), 1, "2026-11"),
        (date(2026, 11, 23), 2, "2026-P6"),
        (date(2026, 11, 23), 5, "2026-Q4"),  # not a divisor of 12: quarters
    ],
)
def test_the_period_of_a_scheduled_round(day, months, period):
    """SUR-02"""
    assert round_period(day, months) == period


def test_the_job_is_scheduled_daily_and_registered():
    """JOB-05"""
    schedule = next(s for s in SCHEDULES if s.task == "surveys.scheduled_survey_rounds")
    assert (schedule.hour, schedule.day_of_week, schedule.day_of_month) == ("10", "*", "*")
    jobs = load_all_jobs()
    assert "surveys.scheduled_survey_rounds" in jobs
    assert "surveys.send_survey_invitations" in jobs


def test_run_twice_the_scheduled_job_starts_one_round_and_emails_everyone_once(
    rep, other_rep, django_capture_on_commit_callbacks
):
    """SUR-02, JOB-05, JOB-09: quarterly by default; a second run is a no-op; nobody gets the
    same round twice and every e-mail goes out once."""
    survey = make_survey(scheduled=True)
    make_survey(title="Not scheduled", scheduled=False)
    make_survey(title="Inactive", scheduled=True, active=False)
    customer_with_contacts(rep, contacts=2, grade="A")
    customer_with_contacts(other_rep, grade="D")

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_survey_rounds.delay(today="2026-11-23").get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_survey_rounds.delay(today="2026-12-30").get() == 0

    survey_round = SurveyRound.objects.get()
    assert (survey_round.survey, survey_round.period, survey_round.name) == (survey, "2026-Q4", "2026-Q4")
    assert survey_round.started_by is None
    assert survey_round.recipients.count() == 3
    assert len(mail.outbox) == 3
    assert len({tuple(m.to) for m in mail.outbox}) == 3
    assert len(set(links_in_outbox().values())) == 3

    # Sending again (a retry, a second worker) e-mails nobody.
    assert send_survey_invitations.delay(survey_round.pk).get() == 0
    assert len(mail.outbox) == 3

    # The next quarter gets its own round.
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_survey_rounds.delay(today="2027-01-05").get() == 1
    assert set(SurveyRound.objects.values_list("period", flat=True)) == {"2026-Q4", "2027-Q1"}
    assert len(mail.outbox) == 6


def test_the_round_frequency_is_a_setting(rep, django_capture_on_commit_callbacks):
    """SUR-02: every 6 months → halves."""
    SurveySettings.objects.update_or_create(pk=1, defaults={"customer_round_months": 6})
    make_survey(scheduled=True)
    customer_with_contacts(rep)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled_survey_rounds.delay(today="2026-08-01").get()
        scheduled_survey_rounds.delay(today="2026-12-01").get()
    assert list(SurveyRound.objects.values_list("period", flat=True)) == ["2026-H2"]


def test_a_period_round_exists_once_even_when_started_by_hand_again(rep):
    """SUR-02, JOB-09"""
    survey = make_survey(scheduled=True)
    customer_with_contacts(rep)
    scheduled_rounds_start(today=date(2026, 11, 23))
    with pytest.raises(DomainError, match="already been started"):
        survey_round_start(actor=None, survey=survey, name="again", period="2026-Q4")
    assert SurveyRound.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_start_one_round(rep):
    """SUR-02, JOB-09: two workers racing on the same period → exactly one round."""
    make_survey(scheduled=True)
    customer_with_contacts(rep, contacts=3)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(len(scheduled_rounds_start(today=date(2026, 11, 23))))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch("crm_project.surveys.services.rounds._enqueue_invitations"):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors
    assert sorted(results) == [0, 1]
    assert SurveyRound.objects.count() == 1
    assert Recipient.objects.count() == 3


def test_a_failed_email_is_retried_without_sending_anyone_twice(rep, django_capture_on_commit_callbacks):
    """JOB-09: the third e-mail fails; the retry sends only the ones not sent, with a fresh link."""
    survey = make_survey()
    customer_with_contacts(rep, contacts=4)
    with mock.patch("crm_project.surveys.services.rounds._enqueue_invitations"):
        survey_round = survey_round_start(actor=None, survey=survey, name="By hand")
    real_send = mail.send_mail
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("SMTP down")
        return real_send(*args, **kwargs)

    with mock.patch("crm_project.surveys.services.rounds.send_mail", side_effect=flaky), pytest.raises(OSError):
        survey_invitations_send(round_id=survey_round.pk)
    assert len(mail.outbox) == 2
    assert survey_round.recipients.filter(sent_at__isnull=False).count() == 2

    assert survey_invitations_send(round_id=survey_round.pk) == 2
    assert survey_invitations_send(round_id=survey_round.pk) == 0
    assert len(mail.outbox) == 4
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        survey_round.recipients.values_list("email", flat=True)
    )


def test_the_job_closes_rounds_whose_time_is_up(rep, time_machine):
    """SUR-01, SUR-02: a round closes when its links expire; its links stop working."""
    time_machine.move_to("2026-11-02 10:00 +0800", tick=False)
    survey = make_survey()
    customer_with_contacts(rep)
    with mock.patch("crm_project.surveys.services.rounds._enqueue_invitations"):
        survey_round = survey_round_start(actor=None, survey=survey, name="By hand")
    assert survey_round.closes_at == timezone.now() + timedelta(days=30)
    scheduled_survey_rounds.delay(today="2026-11-20").get()
    survey_round.refresh_from_db()
    assert not survey_round.closed
    time_machine.move_to("2026-12-02 10:01 +0800", tick=False)
    scheduled_survey_rounds.delay(today="2026-12-02").get()
    survey_round.refresh_from_db()
    assert survey_round.closed
    # Nothing more is e-mailed for a closed round.
    assert survey_invitations_send(round_id=survey_round.pk) == 0


def test_an_administrator_changes_the_survey_settings_in_the_admin(client_for, administrator):
    """SUR-01, SUR-02, SUR-03: link lifetime, round frequency and low score are settings."""
    settings_row = SurveySettings.load()
    client = client_for(administrator)
    url = f"/admin/surveys/surveysettings/{settings_row.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"link_days": 14, "customer_round_months": 6, "tenant_round_months": 6, "low_score": 3})
    assert response.status_code == 302
    settings_row.refresh_from_db()
    assert (settings_row.link_days, settings_row.customer_round_months, settings_row.low_score) == (14, 6, 3)
