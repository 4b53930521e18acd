"""/healthz reports the beat's last tick and the oldest unsent e-mail, warns about either, and
keeps its status code to the database and Redis alone (JOB-09, JOB-10: an e-mail waiting in the
outbox, or a beat that stopped, is seen by an operator)."""

import contextlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from redis.exceptions import RedisError

from crm_project.core.beat import TICK_CACHE_KEY, record_tick
from crm_project.notifications.models import EmailState, Notification

pytestmark = pytest.mark.django_db

NOW = "2026-10-09 10:00 +0800"


@pytest.fixture(autouse=True)
def _no_tick():
    cache.delete(TICK_CACHE_KEY)
    yield
    with contextlib.suppress(RedisError):  # a test that took Redis away
        cache.delete(TICK_CACHE_KEY)


def _email(recipient, key: str, state: str = EmailState.PENDING) -> Notification:
    return Notification.objects.create(
        key=key, recipient=recipient, title="t", email_state=state, email_due_at=timezone.now()
    )


def test_it_reports_a_fresh_beat_and_an_empty_outbox_without_warnings(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    record_tick()
    time_machine.move_to("2026-10-09 10:00:30 +0800", tick=False)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "beat_last_tick_seconds": 30,
        "oldest_unsent_email_seconds": None,
        "warnings": [],
    }


def test_a_stopped_beat_and_an_old_unsent_e_mail_warn_but_keep_the_status_200(client, rep, time_machine, settings):
    """JOB-09, JOB-10"""
    settings.HEALTH_BEAT_MAX_AGE = 120
    settings.HEALTH_EMAIL_MAX_AGE = 900
    time_machine.move_to(NOW, tick=False)
    record_tick()
    _email(rep, "old", EmailState.SENDING)
    time_machine.move_to("2026-10-09 10:10:00 +0800", tick=False)
    _email(rep, "newer")
    _email(rep, "sent-long-ago", EmailState.SENT)
    time_machine.move_to("2026-10-09 10:20:00 +0800", tick=False)

    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["beat_last_tick_seconds"] == 1200
    assert body["oldest_unsent_email_seconds"] == 1200  # from when it was written, though claimed since
    assert body["warnings"] == ["beat", "email"]


def test_below_the_limits_nothing_is_warned(client, rep, time_machine, settings):
    settings.HEALTH_BEAT_MAX_AGE = 120
    settings.HEALTH_EMAIL_MAX_AGE = 900
    time_machine.move_to(NOW, tick=False)
    _email(rep, "pending")
    record_tick()
    time_machine.move_to(timezone.now() + timedelta(seconds=119), tick=False)
    body = client.get("/healthz").json()
    assert (body["beat_last_tick_seconds"], body["oldest_unsent_email_seconds"], body["warnings"]) == (119, 119, [])


def test_a_beat_that_never_ticked_is_warned_about(client):
    body = client.get("/healthz").json()
    assert body["beat_last_tick_seconds"] is None
    assert body["warnings"] == ["beat"]


def test_with_redis_down_the_tick_is_unknown_and_the_status_503(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat_last_tick_seconds"] is None
    assert response.json()["warnings"] == []  # Redis itself is what the answer names


def test_it_costs_one_query_for_the_e_mail_age_besides_the_database_probe(
    client, rep, django_assert_num_queries, time_machine
):
    time_machine.move_to(NOW, tick=False)
    for number in range(30):
        _email(rep, f"n{number}")
    with django_assert_num_queries(2):  # SELECT 1, and the oldest unsent e-mail
        assert client.get("/healthz").status_code == 200


def test_the_oldest_unsent_e_mail_is_read_from_its_partial_index(rep):
    for number in range(5):
        _email(rep, f"n{number}")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # too few rows for the planner to care otherwise
    query = Notification.objects.filter(email_state__in=["pending", "sending"]).order_by("created_at")
    plan = query.values_list("created_at", flat=True)[:1].explain()
    assert "notification_unsent_age_idx" in plan, plan
