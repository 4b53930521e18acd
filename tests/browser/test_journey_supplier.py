"""A supplier from candidate to active, through the pages, in Chinese, each person reaching their
step by clicking (SUP-01 … SUP-07). Screenshots: test-results/journeys/supplier-*/."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.accounts.roles import Role
from suppliers.models import Stage, Supplier
from tests.browser.journey import Journey, exactly, zh
from tests.factories import DepartmentFactory, UserFactory
from tests.suppliers.factories import PDF_BYTES, credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "宁波精工紧固件有限公司"
# A Tuesday morning; the clock moves on by itself during the journey (tick), contracts are
# signed today, after the approval.
START = datetime(2026, 9, 8, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SURVEY_DOCUMENTS = ["history", "profile", "financials", "product_guide", "catalogue"]


@pytest.fixture
def people(db):
    """procure1 (procurement), procurehead1 (head of purchasing), and one member of each survey
    department: tech1, design1, quality1; all with English on their profiles until they switch."""
    procurement = DepartmentFactory(code="procurement", name_zh="资材部", name_en="Procurement")
    users = {
        "procure1": UserFactory(username="procure1", department=procurement, roles=[Role.PROCUREMENT]),
        "procurehead1": UserFactory(username="procurehead1", department=procurement, roles=[Role.PURCHASING_HEAD]),
    }
    for username, code, zh_name, en_name in [
        ("tech1", "technical", "技术部", "Technical"),
        ("design1", "design", "设计部", "Design"),
        ("quality1", "quality", "质量部", "Quality"),
    ]:
        department = DepartmentFactory(code=code, name_zh=zh_name, name_en=en_name)
        users[username] = UserFactory(username=username, department=department, roles=[Role.SPECIALIST])
    return users


def _files(tmp_path):
    paths = {}
    for kind in [*SURVEY_DOCUMENTS, "supply", "quality"]:
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(PDF_BYTES)
        paths[kind] = str(path)
    return paths


def _step(journey, name: str) -> None:
    """Opens a folded step of the supplier's page by its button, and waits until Bootstrap's
    collapse has finished (a click into a panel still sliding open can be lost)."""
    from playwright.sync_api import expect

    toggle = journey.page.locator(f"[data-bs-target='#step-{name}']").first
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(journey.page.locator(f"#step-{name}")).to_have_class(re.compile(r"\bcollapse\b.*\bshow\b"))


def test_a_supplier_goes_from_candidate_to_active_through_the_pages(live_server, chromium, people, tmp_path, settings):
    """SUP-01 SUP-02 SUP-03 SUP-04 SUP-05 SUP-06 SUP-07: procurement registers the candidate and
    runs the general survey, each survey department signs its own findings from "My work", the
    head of purchasing approves from "My work", procurement uploads both contracts signed the same
    day and activates the supplier, which gets its code; a step too early is refused on the page
    with what is missing."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = str(tmp_path / "media")
    files = _files(tmp_path)
    with time_machine.travel(START, tick=True):
        with Journey.start(chromium, live_server.url, "procure1", name="supplier candidate") as journey:
            page = journey.page
            journey.switch_to_chinese()
            journey.nav("Suppliers")
            journey.click_link("Register a candidate", exact=False)
            form = "#supplier-form"
            page.locator(f"{form} [name=name]").fill(NAME)
            page.locator(f"{form} [name=credit_code]").fill(credit_code(424242))
            page.locator(f"{form} [name=legal_representative]").fill("陈国强")
            page.locator(f"{form} [name=goods]").fill("不锈钢螺栓、螺母")
            journey.shot("register")
            journey.press("Register the candidate", within=form)
            expect(page.locator("#supplier-header")).to_contain_text(NAME)
            journey.shot("registered")

            # SUP-02: the general survey starts; moving on at once is refused with what is missing.
            _step(journey, "advance")
            journey.press("Move on to the next stage", within="#form-advance")
            _step(journey, "advance")
            journey.press("Move on to the next stage", within="#form-advance")
            refusal = page.locator("#action-error, #form-advance .alert-danger").first
            expect(refusal).to_contain_text(zh("Record the notes of the technical meeting."))
            journey.shot("general survey refused")
            supplier = Supplier.objects.get(name=NAME)
            assert supplier.stage == Stage.GENERAL_SURVEY

            # SUP-03: the five documents, the two sets of notes; SUP-01: six principles scored.
            for kind in SURVEY_DOCUMENTS:
                _step(journey, "document")
                page.locator("#form-document [name=document-kind]").select_option(kind)
                page.locator("#form-document [name=document-file]").set_input_files(files[kind])
                journey.press("Upload the document", within="#form-document")
            expect(page.locator("#survey-documents [data-version]")).to_have_count(5)
            _step(journey, "notes")
            page.locator("#form-notes [name=notes-interview_notes]").fill("产能稳定，经营方针务实，对我司评价良好。")
            page.locator("#form-notes [name=notes-technical_meeting_notes]").fill("工艺成熟，检测设备齐全。")
            journey.press("Save the notes", within="#form-notes")
            for principle in range(1, 7):
                page.locator("#form-score [name=score-principle]").select_option(str(principle))
                page.locator("#form-score [name=score-result][value=pass]").check()
                page.locator("#form-score [name=score-note]").fill("符合要求")
                journey.press("Save the score", within="#form-score")
            expect(page.locator("#principles .badge.text-bg-success")).to_have_count(6)
            journey.shot("general survey complete")
            _step(journey, "advance")
            journey.press("Move on to the next stage", within="#form-advance")
            expect(page.locator("#missing")).to_contain_text("技术部")
            journey.shot("on-site survey")

        # SUP-04: each department signs its own findings, reached from "My work".
        for username in ("tech1", "design1", "quality1"):
            with Journey.start(chromium, live_server.url, username, name=f"supplier findings {username}") as journey:
                page = journey.page
                journey.switch_to_chinese()
                journey.nav("My work")
                journey.click_text(NAME)
                form = "#form-finding"
                expect(page.locator(form)).to_have_count(1)  # their own department's form only
                page.locator(f"{form} [name=finding-findings]").fill("现场查看生产线与仓库，管理规范。")
                page.locator(f"{form} [name=finding-score][value='4']").check()
                journey.press("Sign the findings", within=form)
                signed = page.locator(f"#onsite-survey [data-department={people[username].department.code}]")
                expect(signed).to_contain_text("4/5")
                journey.shot("signed")

        # SUP-05: procurement writes the application and submits it.
        with Journey.start(chromium, live_server.url, "procure1", name="supplier application") as journey:
            page = journey.page
            journey.switch_to_chinese()
            journey.nav("Suppliers")
            journey.click_text(NAME)
            _step(journey, "application")
            page.locator("#form-application [name=application-trading_reasons]").fill(
                "现有供应商交期不稳定，需要第二货源。"
            )
            page.locator("#form-application [name=application-trading_policy]").fill("年度框架协议，按订单交货。")
            page.locator("#form-application [name$='-item']").first.fill("不锈钢螺栓")
            page.locator("#form-application [name$='-expected_amount']").first.fill("380000")
            journey.press("Save the application", within="#form-application")
            _step(journey, "advance")
            journey.press("Move on to the next stage", within="#form-advance")
            supplier.refresh_from_db()
            assert supplier.stage == Stage.APPROVAL
            journey.shot("application submitted")

        with Journey.start(chromium, live_server.url, "procurehead1", name="supplier approval") as journey:
            page = journey.page
            journey.switch_to_chinese()
            journey.nav("My work")
            journey.click_text(NAME)
            expect(page.locator("#approval-report")).to_contain_text(re.compile(r"380\D?000"))
            page.locator("#form-decide [name=decide-decision][value=approve]").check()
            page.locator("#form-decide [name=decide-comment]").fill("同意认定，首年试用。")
            journey.shot("decision")
            question = journey.confirm("#form-decide button[type=submit]")
            assert question == zh("Record this decision on the application?")
            journey.shot("approved")
        supplier.refresh_from_db()
        assert supplier.stage == Stage.APPROVED

        # SUP-06, SUP-07: both contracts signed today, then activation with the payment terms.
        with Journey.start(chromium, live_server.url, "procure1", name="supplier activation") as journey:
            page = journey.page
            journey.switch_to_chinese()
            journey.nav("Suppliers")
            journey.click_text(NAME)
            today = START.date().isoformat()
            for kind in ("supply", "quality"):
                _step(journey, "contract")
                page.locator("#form-contract [name=contract-kind]").select_option(kind)
                page.locator("#form-contract [name=contract-signed_on]").fill(today)
                page.locator("#form-contract [name=contract-file]").set_input_files(files[kind])
                journey.press("Upload the contract", within="#form-contract")
            journey.shot("contracts")
            _step(journey, "advance")
            journey.press("Move on to the next stage", within="#form-advance")
            page.locator("#form-activate [name=activate-payment_terms]").fill("月结60天，银行转账")
            journey.confirm("#form-activate button[type=submit]")
            expect(page.locator("#supplier-code")).to_have_text("SUP-2026-0001")
            expect(page.locator("#payment-terms")).to_have_text("月结60天，银行转账")
            expect(page.locator("#form-notes, #form-document, #form-score")).to_have_count(0)  # archived
            journey.shot("active")
            expect(page.get_by_role("link", name=exactly(zh("Supplier file (Excel, printable)")))).to_be_visible()

    supplier.refresh_from_db()
    assert (supplier.stage, supplier.code, supplier.payment_terms) == ("active", "SUP-2026-0001", "月结60天，银行转账")
    assert set(supplier.findings.values_list("signed_by__username", flat=True)) == {"tech1", "design1", "quality1"}
    steps = list(supplier.steps.exclude(action="finding").values_list("to_stage", "user__username"))
    assert steps == [
        ("candidate", "procure1"), ("general_survey", "procure1"), ("onsite_survey", "procure1"),
        ("approval", "procure1"), ("approved", "procurehead1"), ("contracted", "procure1"), ("active", "procure1"),
    ]  # fmt: skip
