"""Sessions and rate limits are shared by every web process (issue 16, stateless web): the next
request of a user may land on another process on another machine. The other process here is a
real one — two test clients in one process would share its memory and prove nothing."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from crm_project.core.ratelimits import usage
from tests.core.another_process import run_elsewhere

ANOTHER_WEB_PROCESS = """
from django.test import Client
from django.urls import reverse
client = Client()
client.cookies[settings.SESSION_COOKIE_NAME] = os.environ["SESSION_KEY"]
page = client.get("/")
logged_out = client.post(reverse("logout"))
print(json.dumps({"status": page.status_code, "shows_user": os.environ["USERNAME_SHOWN"] in page.content.decode(),
                  "logout": logged_out.status_code}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_session_begun_on_one_web_process_is_used_and_ended_on_another(client_for, rep):
    """ORG-02: logged in here, the user's next page is served by another process; logging out
    there logs the user out here too (sessions live in PostgreSQL, not in a process)."""
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    client = client_for(rep)
    assert client.get("/").status_code == 200
    there = run_elsewhere(
        ANOTHER_WEB_PROCESS, SESSION_KEY=client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        USERNAME_SHOWN=rep.display_name,
    )  # fmt: skip
    assert there == {"status": 200, "shows_user": True, "logout": 302}
    answer = client.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


COUNT_ELSEWHERE = """
from django.test import RequestFactory
from crm_project.core.ratelimits import usage
request = RequestFactory().post("/login/", REMOTE_ADDR="203.0.113.7")
print(json.dumps([usage(request, "login").count for _ in range(2)]))
"""


def test_a_rate_limit_counts_the_requests_every_process_served(settings):
    """Failed log-ins from one address counted by another process count here (Redis), so a
    guesser spreading attempts over the web processes is stopped all the same."""
    settings.RATELIMIT_CACHE_PREFIX = prefix = f"test-rl:{uuid.uuid4().hex}:"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/d"}
    shared = {"RATELIMIT_CACHE_PREFIX": prefix, "RATE_LIMITS": settings.RATE_LIMITS}
    assert run_elsewhere(COUNT_ELSEWHERE, settings=shared) == [1, 2]
    request = RequestFactory().post("/login/", REMOTE_ADDR="203.0.113.7")
    third = usage(request, "login")
    assert (third.count, third.limited) == (3, False)
    assert usage(request, "login").limited
