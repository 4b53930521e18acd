"""Procurement's landing card (DSH-02, SUP-02, ORG-02): the supplier files in progress counted by
stage from candidate to contracted, each count linking to the supplier list filtered by that
stage, and the files waiting longest at their stage; seen by procurement and the head of
purchasing only, in a constant number of queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suppliers.models import Stage
from suppliers.services.stages import supplier_advance, supplier_reject
from tests.suppliers.factories import register
from tests.suppliers.page_helpers import detail_url

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
IN_PROGRESS = ["candidate", "general_survey", "onsite_survey", "approval", "approved", "contracted"]


def _card(client):
    document = lxml.html.fromstring(client.get("/").content)
    found = document.xpath('//*[@id="panel-supplier_pipeline"]')
    return found[0] if found else None


def _counts(card) -> dict[str, int]:
    return {
        row.get("data-stage"): int(row.xpath('.//*[contains(@class, "stage-count")]')[0].text_content())
        for row in card.xpath('.//*[@id="supplier-pipeline"]/li')
    }


@pytest.fixture
def pipeline(at, buyer, time_machine):
    """Three candidates, two at the general survey, one at each later stage up to contracted;
    an active and a rejected file that are not in progress."""
    time_machine.move_to(datetime(2026, 11, 2, 10, tzinfo=SHANGHAI), tick=False)
    files = {"candidate": [register(buyer, name=f"候选公司{n}") for n in range(3)]}
    files["general_survey"] = [at(Stage.GENERAL_SURVEY, name=f"一般调查公司{n}") for n in range(2)]
    for stage in ("onsite_survey", "approval", "approved", "contracted", "active"):
        files[stage] = [at(stage, name=f"{stage}公司")]
    files["rejected"] = [supplier_reject(actor=buyer, supplier=register(buyer, name="淘汰公司"), reason="资质不符")]
    return files


def test_it_counts_the_files_in_progress_by_stage(client_for, buyer, pipeline):
    """DSH-02, SUP-02: exact counts per stage in the order of the stages; active and rejected
    files are not in progress."""
    card = _card(client_for(buyer))
    assert card is not None
    assert list(_counts(card)) == IN_PROGRESS
    assert _counts(card) == {
        "candidate": 3, "general_survey": 2, "onsite_survey": 1, "approval": 1, "approved": 1, "contracted": 1,
    }  # fmt: skip
    assert card.xpath('string(.//*[@id="supplier-pipeline-total"])') == "9"


def test_each_count_links_to_the_list_filtered_by_its_stage(client_for, buyer, pipeline):
    """DSH-02, SUP-02: the link behind a count opens the supplier list with that stage's files only."""
    client = client_for(buyer)
    card = _card(client)
    for row in card.xpath('.//*[@id="supplier-pipeline"]/li'):
        stage = row.get("data-stage")
        url = row.xpath(".//a/@href")[0]
        assert f"stage={stage}" in url
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for other, suppliers in pipeline.items():
            for supplier in suppliers:
                assert (supplier.name in html) == (other == stage), (stage, supplier.name)
    everything = client.get(card.xpath('.//*[@id="supplier-pipeline-all"]/@href')[0])
    assert everything.status_code == 200
    html = everything.content.decode()
    assert "候选公司0" in html and "contracted公司" in html
    assert "active公司" not in html and "淘汰公司" not in html


def test_the_file_waiting_longest_at_its_stage_comes_first(client_for, buyer, time_machine):
    """DSH-02, SUP-02: the time at the current stage counts from the step into it, not from the
    registration: a file registered early but advanced late waits less."""
    time_machine.move_to(datetime(2026, 11, 2, 10, tzinfo=SHANGHAI), tick=False)
    early = register(buyer, name="早登记公司")
    time_machine.move_to(datetime(2026, 11, 4, 10, tzinfo=SHANGHAI), tick=False)
    register(buyer, name="中间公司")
    time_machine.move_to(datetime(2026, 11, 9, 10, tzinfo=SHANGHAI), tick=False)
    supplier_advance(actor=buyer, supplier=early)
    time_machine.move_to(datetime(2026, 11, 16, 10, tzinfo=SHANGHAI), tick=False)
    card = _card(client_for(buyer))
    names = [link.text_content() for link in card.xpath('.//*[@id="supplier-longest"]/li/span[1]/a')]
    assert names == ["中间公司", "早登记公司"]
    assert card.xpath('.//*[@id="supplier-longest"]/li[2]//a/@href')[0].startswith(detail_url(early))
    assert "since 2026-11-09" in card.text_content() and "since 2026-11-04" in card.text_content()


@pytest.mark.parametrize("who", ["buyer", "head"])
def test_procurement_and_the_head_of_purchasing_see_the_card(client_for, request, who, buyer):
    """DSH-02: the people who run the supplier files."""
    register(buyer, name="候选公司")
    card = _card(client_for(request.getfixturevalue(who)))
    assert card is not None and _counts(card)["candidate"] == 1


@pytest.mark.parametrize("who", ["technical", "gm", "rep", "finance"])
def test_others_do_not_see_the_card(client_for, request, who, buyer):
    """DSH-02, ORG-02: a survey department's staff has its own card; management has the dashboard;
    nobody else sees supplier files."""
    register(buyer, name="候选公司")
    assert _card(client_for(request.getfixturevalue(who))) is None


def _queries(client) -> int:
    client.get("/")  # the settings rows and the calendar are made on the first visit
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_card_runs_a_constant_number_of_queries(client_for, buyer, time_machine):
    """DSH-02: 2 or 20 files in progress — the same queries."""
    time_machine.move_to(datetime(2026, 11, 2, 10, tzinfo=SHANGHAI), tick=False)
    for n in range(2):
        supplier_advance(actor=buyer, supplier=register(buyer, name=f"少量公司{n}"))
    few = _queries(client_for(buyer))
    for n in range(18):
        supplier = register(buyer, name=f"大量公司{n}")
        if n % 2:
            supplier_advance(actor=buyer, supplier=supplier)
    assert _queries(client_for(buyer)) == few
