"""The satisfaction trend block of the dashboard (DSH-01, SUR-03): the average score of the last
rounds started before the period's end, per audience the user may see (customer surveys for
customer service and the sales managers, tenant surveys for operations, both for management:
ORG-02); the latest round against the one before, the responses of the period against the
previous one, the response rate; the links to the rounds' results, the Excel download and a
constant number of queries."""

import io
import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.dashboard.blocks import Scope, blocks
from crm_project.dashboard.periods import parse_period
from crm_project.surveys.dashboard import ROUNDS_SHOWN, satisfaction_figures, satisfaction_present
from crm_project.surveys.models import (
    Answer,
    QuestionKind,
    Recipient,
    SurveyAudience,
    SurveyResponse,
    SurveyRound,
)
from tests.customers.factories import CustomerFactory
from tests.factories import DepartmentFactory, UserFactory
from tests.surveys.factories import make_survey
from tests.tenants.factories import TenantFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = parse_period("2026-10")
_tokens = itertools.count(1)


def _at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _mid_october(time_machine):
    time_machine.move_to("2026-10-15 10:00 +0800", tick=False)


def _round(survey, name: str, started_at: datetime) -> SurveyRound:
    survey_round = SurveyRound.objects.create(survey=survey, name=name, closes_at=started_at + timedelta(days=30))
    SurveyRound.objects.filter(pk=survey_round.pk).update(started_at=started_at)
    return survey_round


def _recipient(survey_round, *, customer=None, tenant=None, scores=(), at=None) -> Recipient:
    """A recipient of the round; with `scores`, its response at `at`: one score per score
    question, and a choice, which no average counts."""
    recipient = Recipient.objects.create(
        round=survey_round,
        customer=customer,
        tenant=tenant,
        name="收件人",
        email="someone@example.com",
        token_hash=f"{next(_tokens):064d}",
        expires_at=survey_round.closes_at,
        sent_at=_at(1, 1),
        responded_at=at if scores else None,
    )
    if scores:
        response = SurveyResponse.objects.create(recipient=recipient)
        SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=at)
        questions = list(survey_round.survey.questions.order_by("order"))
        score_questions = [question for question in questions if question.kind == QuestionKind.SCORE]
        choice = next(question for question in questions if question.kind == QuestionKind.CHOICE)
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, score=s) for q, s in zip(score_questions, scores, strict=True)]
            + [Answer(response=response, question=choice, choice="Price")]
        )
    return recipient


@pytest.fixture
def east_rep(db):
    department = DepartmentFactory(code="east", name_zh="华东销售部", name_en="East sales")
    return UserFactory(username="east_rep", department=department, roles=[])


@pytest.fixture
def data(rep, east_rep, desk):
    """Customers: Q2 (May) 4+2 of two recipients; Q3 (August) 5+4, 2+3 (answered in September)
    and 4+5 of four; Q4 (October) 5+5 and 4+4 — the latter from a customer of another
    department; a round starting in November. Tenants: H2 (September) 5+4 of two, answered in
    October."""
    customers = make_survey()
    mine, east = CustomerFactory(owner=rep), CustomerFactory(owner=east_rep)
    q2 = _round(customers, "Q2", _at(5, 10))
    _recipient(q2, customer=mine, scores=(4, 2), at=_at(6, 1))
    _recipient(q2, customer=mine)
    q3 = _round(customers, "Q3", _at(8, 10))
    _recipient(q3, customer=mine, scores=(5, 4), at=_at(8, 12))
    _recipient(q3, customer=mine, scores=(2, 3), at=_at(9, 2))
    _recipient(q3, customer=mine, scores=(4, 5), at=_at(8, 20))
    _recipient(q3, customer=mine)
    q4 = _round(customers, "Q4", _at(10, 5))
    _recipient(q4, customer=mine, scores=(5, 5), at=_at(10, 6))
    _recipient(q4, customer=east, scores=(4, 4), at=_at(10, 8))
    _round(customers, "Next", _at(11, 2))
    tenants = make_survey(title="Tenant satisfaction")
    tenants.audience = SurveyAudience.TENANTS
    tenants.save(update_fields=["audience"])
    h2 = _round(tenants, "H2", _at(9, 1))
    _recipient(h2, tenant=TenantFactory(actor=desk), scores=(5, 4), at=_at(10, 1))
    _recipient(h2, tenant=TenantFactory(actor=desk))
    return {"Q2": q2, "Q3": q3, "Q4": q4, "H2": h2}


def _block():
    return next(block for block in blocks._items.values() if block.key == "satisfaction_trend")


CUSTOMERS = {
    "latest_average": 4.5,
    "before_average": 3.83,
    "latest_rate": 100.0,
    "before_rate": 75.0,
    "responses": 2,
    "previous": {"responses": 1},
}


def _summary(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key != "rounds"}


def test_the_customer_trend_for_customer_service(data, service):
    """DSH-01, SUR-03: each round's average over every score answer; latest against the one before."""
    figures = satisfaction_figures(Scope(service, OCTOBER))
    assert "tenants" not in figures
    customers = figures["customers"]
    assert _summary(customers) == CUSTOMERS
    assert [(r["name"], r["recipients"], r["responses"], r["rate"], r["average"]) for r in customers["rounds"]] == [
        ("Q2", 2, 1, 50.0, 3.0),
        ("Q3", 4, 3, 75.0, 3.83),
        ("Q4", 2, 2, 100.0, 4.5),
    ]
    assert customers["rounds"][0] == {
        "id": data["Q2"].pk,
        "name": "Q2",
        "survey": "Customer satisfaction",
        "started": "2026-05-10",
        "recipients": 2,
        "responses": 1,
        "rate": 50.0,
        "average": 3.0,
    }


def test_an_earlier_period_ends_with_the_rounds_started_before_its_end(data, service):
    """DSH-01: September's trend stops at Q3; its responses compare with August's."""
    customers = satisfaction_figures(Scope(service, parse_period("2026-09")))["customers"]
    assert [row["name"] for row in customers["rounds"]] == ["Q2", "Q3"]
    assert (customers["latest_average"], customers["before_average"]) == (3.83, 3.0)
    assert (customers["responses"], customers["previous"]["responses"]) == (1, 2)


def test_the_last_eight_rounds(db, service):
    """DSH-01: the last rounds that started before the period's end, oldest first."""
    survey = make_survey()
    for month in range(1, 11):
        _round(survey, f"M{month}", _at(month, 2))
    rounds = satisfaction_figures(Scope(service, OCTOBER))["customers"]["rounds"]
    assert len(rounds) == ROUNDS_SHOWN == 8
    assert [row["name"] for row in rounds] == [f"M{month}" for month in range(3, 11)]
    assert rounds[-1]["average"] is None and rounds[-1]["rate"] is None


def test_operations_sees_the_tenant_trend_only(data, desk, ops_manager):
    """DSH-01, ORG-02, TEN-01: the tenants' surveys are the desk's."""
    for user in (desk, ops_manager):
        figures = satisfaction_figures(Scope(user, OCTOBER))
        assert "customers" not in figures
        assert _summary(figures["tenants"]) == {
            "latest_average": 4.5,
            "before_average": None,
            "latest_rate": 50.0,
            "before_rate": None,
            "responses": 1,
            "previous": {"responses": 0},
        }


def test_management_sees_both_or_one_departments_customers(data, gm, sales, operations):
    """DSH-01: management sees both audiences; under a department, that department's customers'
    answers, and the tenants' only under the tenant desk's department."""
    figures = satisfaction_figures(Scope(gm, OCTOBER))
    assert _summary(figures["customers"]) == CUSTOMERS and figures["tenants"]["latest_average"] == 4.5
    sales_only = satisfaction_figures(Scope(gm, OCTOBER, sales))
    assert "tenants" not in sales_only
    assert sales_only["customers"]["rounds"][-1]["average"] == 5.0
    assert (sales_only["customers"]["responses"], sales_only["customers"]["latest_rate"]) == (1, 100.0)
    desk_only = satisfaction_figures(Scope(gm, OCTOBER, operations))
    assert desk_only["tenants"]["latest_average"] == 4.5
    assert desk_only["customers"]["latest_average"] is None and desk_only["customers"]["responses"] == 0


def test_who_sees_the_block(data, client_for, service, manager, desk, gm, rep, outsider):
    """DSH-01, ORG-02: customer service, sales managers, operations and management; a rep and
    an outsider do not — the key is absent from the API, the download is a 404."""
    audiences = {service: {"customers"}, manager: {"customers"}, desk: {"tenants"}, gm: {"customers", "tenants"}}
    for user, expected in audiences.items():
        body = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"}).json()
        assert set(body["satisfaction_trend"]) - {"rounds_shown"} == expected
    for user in (rep, outsider):
        assert not _block().visible(user)
        answer = client_for(user).get("/api/v1/dashboard/", {"period": "2026-10"})
        assert answer.status_code == 404 or "satisfaction_trend" not in answer.json()
        assert client_for(user).get("/dashboard/satisfaction_trend/export/").status_code == 404


def test_the_chart_and_numbers_link_to_each_rounds_results(data, client_for, gm):
    """DSH-01, SUR-03: a line per audience, each point opening its round's results page."""
    client = client_for(gm)
    scope = Scope(gm, OCTOBER)
    presentation = satisfaction_present(satisfaction_figures(scope), scope)
    customers, tenants = presentation.charts
    assert (customers.key, customers.kind, tenants.key) == ("satisfaction-customers", "line", "satisfaction-tenants")
    assert customers.categories == ["Q2 (2026-05)", "Q3 (2026-08)", "Q4 (2026-10)"]
    assert customers.series[0].data == [3.0, 3.83, 4.5]
    assert customers.links == [reverse("surveys:round_detail", args=[data[name].pk]) for name in ("Q2", "Q3", "Q4")]
    for link in customers.links + tenants.links:
        page = client.get(link)
        assert page.status_code == 200 and page.context["round"].pk in {r.pk for r in data.values()}
    numbers = {number.key: number for number in presentation.numbers}
    assert (numbers["customers-average"].value, numbers["customers-average"].previous) == (4.5, 3.83)
    assert numbers["customers-average"].url == customers.links[-1]
    assert (numbers["tenants-responses"].value, numbers["tenants-responses"].previous) == (1, 0)
    assert numbers["customers-rate"].unit == "%"
    assert client.get(presentation.list_url).status_code == 200


def test_the_page_and_the_excel_download(data, client_for, service):
    """DSH-01: the block on the page, and its figures as Excel."""
    client = client_for(service)
    page = client.get("/dashboard/", {"period": "2026-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="block-satisfaction_trend"' in html and 'data-dashboard-chart="satisfaction-customers"' in html
    assert 'data-dashboard-chart="satisfaction-tenants"' not in html
    download = client.get("/dashboard/satisfaction_trend/export/", {"period": "2026-10"})
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert len(workbook.sheetnames) == 2
    figures, rounds = (workbook[name] for name in workbook.sheetnames)
    assert ["Customers: average score, latest round", 4.5, 3.83] in [
        [cell.value for cell in row] for row in figures.iter_rows(min_row=3)
    ]
    assert [[cell.value for cell in row] for row in rounds.iter_rows(min_row=3)] == [
        ["Q2", "Customer satisfaction", "2026-05-10", 2, 1, 50, 3],
        ["Q3", "Customer satisfaction", "2026-08-10", 4, 3, 75, 3.83],
        ["Q4", "Customer satisfaction", "2026-10-05", 2, 2, 100, 4.5],
    ]


def test_a_constant_number_of_queries(db, rep, gm):
    """DSH-01: four aggregate queries, for 2 rounds as for 8, with their answers."""
    survey = make_survey()

    def queries(count: int) -> int:
        for index in range(count):
            survey_round = _round(survey, f"R{count}-{index}", _at(1 + index, 3))
            _recipient(survey_round, customer=CustomerFactory(owner=rep), scores=(4, 5), at=_at(10, 1 + index))
            _recipient(survey_round, customer=CustomerFactory(owner=rep))
        scope = Scope(gm, OCTOBER)
        satisfaction_figures(scope)  # the user's roles, once per request
        with CaptureQueriesContext(connection) as captured:
            satisfaction_present(satisfaction_figures(scope), scope)
        return len(captured)

    few = queries(2)
    assert few == queries(8) and few <= 4
