"""The users of bench/load.py's load test: who logs in as whom and what they do in the month's
first working days. bench/load.py fills PLAN (the statements and usernames it prepared) and runs
these classes with locust's library API.

- Rep (200): one per fee rep, on their own 2026-09 statement — opens it, recalculates it (a
  POST with the page's CSRF token; a draft only, as the page offers), looks at "My work", and
  now and then downloads its 附表1.
- Searcher (20): bench/customers.py's reps and their manager on the customer list — the grade
  filter, a name search (华盛), now and then a small export in the request.
- Signer (6): the sales clerk, the sales manager and finance, each on their review queue and the
  statements in it.

Every answer is checked: the expected status (200, or the redirect a form answers), and the page
it should be — a log-in page, another page or a background export instead is a failure.
"""

import itertools
import random
import re
from urllib.parse import quote, urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

PLAN: dict = {}  # reps [(username, statement id, status)], signers, searchers, password
LOGINS = {"done": 0}
LOGIN = "log in"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUED = re.compile(r'href="/fees/statements/(\d+)/"')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmUser(FastHttpUser):
    abstract = True
    wait_time = between(2, 5)  # reading the page before the next click
    network_timeout = 60.0  # nginx's proxy_read_timeout
    connection_timeout = 10.0

    turns: itertools.count  # each class's users take its accounts in turn

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.turns = itertools.count()

    def on_start(self) -> None:
        self.number = next(self.turns)
        self.token = ""
        try:
            self.log_in(self.account())
        finally:
            LOGINS["done"] += 1

    def account(self) -> str:
        raise NotImplementedError

    def log_in(self, username: str) -> None:
        """The log-in form as a browser fills it: its CSRF token, then POST → redirect home."""
        self.open("/login/", "log-in form", 'name="password"')
        answer = self.post("/login/", LOGIN, {"username": username, "password": PLAN["password"]})
        if answer is None or "/login/" in answer:
            raise StopUser
        self.token = ""  # a log-in rotates the CSRF secret: the next form needs a page opened after it

    def open(self, path: str, name: str, marker: str) -> str:
        """GET a page and check it is that page; keeps its CSRF token for the next form."""
        with self.client.get(path, name=name, headers=HEADERS, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(unexpected(answer))
                return ""
            text = answer.text or ""
            if marker not in text:
                login = 'name="password"' in text and "password" not in marker
                answer.failure("the log-in page instead" if login else f"not the page: {marker!r} missing")
                return ""
            answer.success()
        found = CSRF.search(text)
        self.token = found.group(1) if found else self.token
        return text

    def post(self, path: str, name: str, fields: dict) -> str | None:
        """POST a form with the last page's CSRF token; the answer is a redirect: its address."""
        headers = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded", "Origin": self.host,
                   "Referer": self.host + path}  # fmt: skip
        body = urlencode({"csrfmiddlewaretoken": self.token, **fields})
        with self.client.post(path, name=name, data=body, headers=headers, allow_redirects=False,
                              catch_response=True) as answer:  # fmt: skip
            location = answer.headers.get("Location") if answer.status_code == 302 else None
            if location is None:
                answer.failure(unexpected(answer))
            elif "/login/" in location:
                answer.failure("log-in refused" if name == LOGIN else "sent to the log-in page")
            else:
                answer.success()
            return location

    def download(self, path: str, name: str) -> None:
        """An export answered in the request: an Excel file, not a redirect to a background job."""
        with self.client.get(path, name=name, headers=HEADERS, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(unexpected(answer))
            elif not answer.headers.get("Content-Type", "").startswith(XLSX) or not answer.content.startswith(b"PK"):
                answer.failure(f"not an Excel file: {answer.headers.get('Content-Type')}")
            else:
                answer.success()


def unexpected(answer) -> str:
    if not answer.status_code:  # no answer: a timeout or a closed connection
        return f"no answer: {type(answer.error).__name__}"
    return f"{answer.status_code} {answer.headers.get('Location', '')}".strip()


HEADERS = {"Accept": "text/html,*/*", "Accept-Language": "zh-hans"}


class Rep(CrmUser):
    weight = 200

    def account(self) -> str:
        username, self.statement, status = PLAN["reps"][self.number % len(PLAN["reps"])]
        self.draft = status == "draft"
        self.page = f"/fees/statements/{self.statement}/"
        return username

    @task(50)
    def open_statement(self) -> None:
        self.open(self.page, "statement page (rep)", 'id="statement-header"')

    @task(25)
    def recalculate(self) -> None:
        """Only a draft offers the button; a rep whose statement is in review just looks at it."""
        if not self.draft or not self.token:
            self.open_statement()
            return
        location = self.post(f"{self.page}recalculate/", "recalculate (POST)", {})
        if location == self.page:  # the page it redirects to says it was done (a refusal is alert-danger)
            self.open(self.page, "statement page (rep)", 'class="alert alert-success')

    @task(15)
    def my_work(self) -> None:
        self.open("/", "my work (rep)", 'id="panel-')

    @task(1)
    def form1(self) -> None:
        self.download(f"{self.page}form1.xlsx", "附表1 export")


class Searcher(CrmUser):
    weight = 20

    def account(self) -> str:
        username = PLAN["searchers"][self.number % len(PLAN["searchers"])]
        # ~400 rows for a rep (grade A), ~1,500 for the manager in one province: in the request.
        self.export = "/customers/?grade=A&export=xlsx"
        if username == "bench_manager":
            self.export = f"/customers/?grade=A&region={quote('广东')}&export=xlsx"
        return username

    @task(10)
    def grade_filter(self) -> None:
        self.open("/customers/?grade=A&status=active", "customer list grade=A&status=active", 'id="customer-table"')

    @task(9)
    def name_search(self) -> None:
        self.open(f"/customers/?q={quote('华盛')}", "customer list search 华盛", 'id="customer-table"')

    @task(1)
    def export(self) -> None:
        self.download(self.export, "customer export (small)")


class Signer(CrmUser):
    weight = 6

    def account(self) -> str:
        self.queue: list[str] = []
        return PLAN["signers"][self.number % len(PLAN["signers"])]

    @task(1)
    def open_queue(self) -> None:
        page = self.open("/fees/queue/", "review queue", 'id="queue-table"')
        self.queue = QUEUED.findall(page) or self.queue

    @task(2)
    def open_queued_statement(self) -> None:
        if not self.queue:
            self.open_queue()
            return
        statement = random.choice(self.queue)
        self.open(f"/fees/statements/{statement}/", "statement page (signer)", 'id="sign-statement"')
