"""Fuzz the whole API against its own OpenAPI schema, as every role (issue 8 §5, §6).

Schemathesis reads /api/v1/schema/ from the app and, for every operation in it — so a new
endpoint is fuzzed without touching this file — sends the cases of its coverage phase
(boundary values, wrong types, missing and unexpected fields, NUL and other odd strings) and
FUZZ_EXAMPLES random ones. The first case of each operation goes out as every identity
(anonymous, one user per role in `Role`, a user with no role, a superuser); each other case
as one of them, chosen from the case's content (so a failing case replays, and shrinks, as
the same person). About half the cases of an operation with a path parameter point at a real
row, taken from the demo data (`seed_demo`) through the operation's list endpoint, and a
third of the bodies carry real values (a customer's code, a product's, a username …) in the
fields of those names.

Every answer must be: not a 5xx; a status the schema documents for the operation; of the
documented content type; and conforming to the documented response schema and headers.
Derandomised (the same cases every run) and bounded: FUZZ_EXAMPLES per operation (default
10) and FUZZ_BUDGET_SECONDS for the whole run (default 240), past which cases are generated
but no longer sent. The figures are printed at the end of the run.

Run it alone with `pytest tests/core/test_api_fuzz.py`; FUZZ_OPERATIONS="POST /api/v1/visits/"
(a regular expression on "METHOD /path") narrows it to some operations.
"""

import os
import re
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
import werkzeug
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi import checks as openapi_checks

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.wsgi import application

MOMENT = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 10))
BUDGET_SECONDS = float(os.environ.get("FUZZ_BUDGET_SECONDS", 240))
OPERATIONS = os.environ.get("FUZZ_OPERATIONS", "")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


@dataclass
class Identity:
    name: str
    cookies: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def _signed_in(user) -> Identity:
    """A browser-like session with a CSRF token, whatever API tokens the app issues."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = _get_new_csrf_string()
    return Identity(
        name=user.username,
        cookies={settings.SESSION_COOKIE_NAME: session.session_key, settings.CSRF_COOKIE_NAME: csrf},
        headers={"X-CSRFToken": csrf},
    )


def _identities() -> list[Identity]:
    people = [Identity("anonymous")]
    for role in Role:
        user = User.objects.filter(groups__name=role.value, is_active=True, is_superuser=False).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(username=f"fuzz-{role.value}", password="fuzz-pass-1")
            user.groups.set(Group.objects.filter(name=role.value))
        people.append(_signed_in(user))
    people.append(_signed_in(User.objects.create_user(username="fuzz-no-role", password="fuzz-pass-1")))
    people.append(_signed_in(User.objects.filter(is_superuser=True).order_by("pk").first()))
    return people


def _client(identity: Identity) -> werkzeug.Client:
    client = werkzeug.Client(application)
    for name, value in identity.cookies.items():
        client.set_cookie(name, value)
    return client


@dataclass
class Known:
    """Real values from the demo data: of each path's parameter (by its list endpoint), and of
    each field name any list shows (a customer's code, a product's code, a username …)."""

    paths: dict[str, list] = field(default_factory=dict)
    fields: dict[str, list] = field(default_factory=dict)


def _known_values(raw_schema: dict, superuser: Identity) -> Known:
    client = _client(superuser)
    known = Known()
    for path in raw_schema["paths"]:
        match = re.match(r"^(?P<base>[^{]*)\{(?P<name>\w+)\}", path)
        if not match or match["base"] in known.paths:
            continue
        response = client.get(match["base"])
        body = response.json if response.status_code == 200 else {}
        rows = [row for row in body.get("results", []) if isinstance(row, dict)] if isinstance(body, dict) else []
        known.paths[match["base"]] = [row.get(match["name"], row.get("id")) for row in rows if row.get("id")][:20]
        for row in rows:
            for name, value in row.items():
                if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
                    values = known.fields.setdefault(name, [])
                    if value not in values and len(values) < 20:
                        values.append(value)
    return known


def _content_key(case) -> int:
    """A number that depends only on what the case sends."""
    sent = (case.method, case.path_parameters, case.query, case.headers, case.cookies, case.body)
    return zlib.crc32(repr(sent).encode("utf-8", "surrogatepass"))


@dataclass
class Fuzz:
    identities: list[Identity]
    known: Known = field(default_factory=Known)
    started: float = field(default_factory=time.monotonic)
    cases: Counter = field(default_factory=Counter)
    calls: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    first_case: dict = field(default_factory=dict)
    skipped: int = 0

    def within_budget(self) -> bool:
        return time.monotonic() - self.started < BUDGET_SECONDS


@pytest.fixture
def fuzz(db, request):
    # As with Django's test client, the app under test shares the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with time_machine.travel(MOMENT, tick=True):
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 (closed with the process)
            state = Fuzz(identities=_identities())
            yield state
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    summary = (
        f"API fuzz: {len(state.cases)} operations, {sum(state.cases.values())} cases, "
        f"{sum(state.calls.values())} requests as {len(state.identities)} identities in "
        f"{time.monotonic() - state.started:.0f} s; answers {dict(sorted(state.statuses.items()))}"
        + (f"; {state.skipped} cases not sent (over FUZZ_BUDGET_SECONDS)" if state.skipped else "")
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + summary)


@pytest.fixture
def api_schema(fuzz):
    superuser = fuzz.identities[-1]
    response = _client(superuser).get("/api/v1/schema/?format=json")
    assert response.status_code == 200, response.status_code
    fuzz.known = _known_values(response.json, superuser)
    loaded = schemathesis.openapi.from_dict(response.json)
    loaded.app = application
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")
if OPERATIONS:
    schema = schema.include(name_regex=OPERATIONS)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says_for_every_role(case, fuzz):
    """ORG-02, DSH-03: no 5xx, and every answer documented, for anyone and any input."""
    label = case.operation.label
    fuzz.cases[label] += 1
    if not fuzz.within_budget():
        fuzz.skipped += 1
        return
    key = _content_key(case)
    rows = fuzz.known.paths.get(re.match(r"^[^{]*", case.operation.path)[0])
    if rows and case.path_parameters and key % 2:
        name = next(iter(case.path_parameters))
        case.path_parameters[name] = rows[key % len(rows)]
    if isinstance(case.body, dict) and key % 3 == 0:
        for name in [name for name in case.body if name in fuzz.known.fields]:
            values = fuzz.known.fields[name]
            case.body[name] = values[key % len(values)]
    first = fuzz.first_case.setdefault(label, key)
    callers = fuzz.identities if key == first else [fuzz.identities[key % len(fuzz.identities)]]
    for identity in callers:
        response = case.call(headers=identity.headers, cookies=identity.cookies)
        fuzz.calls[label] += 1
        fuzz.statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)
