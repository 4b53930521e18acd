"""TEN-06, DSH-03, ORG-02: the notice pages — list, new, the notice with its steps and sign-off
list, paper receipts, the export, the templates, the public sign-for page — and outsiders."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from crm_project.core.models import ExportLog
from tenants.models import Notice, NoticeAddressee, NoticeTemplate
from tenants.services.notices import notice_link_reissue, notice_receipt_paper

from .factories import EXE_BYTES, PDF_BYTES, TenantFactory, png, upload
from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import draft, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(desk, engineer, engineering, gm, notice_tenants):
    return walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)


def _token(url):
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_list_filters_sorts_and_exports(client_for, desk, engineer, engineering, gm, notice_tenants, delivered):
    """TEN-06, DSH-03: the list, filtered by status and department, exported (logged)."""
    draft(desk, engineering, notice_tenants, title="草稿通知")
    client = client_for(desk)
    page = client.get(reverse("tenants:notice_list"), {"status": "delivered", "sort": "title"})
    assert page.status_code == 200
    assert list(page.context["object_list"]) == [delivered]
    assert "0 / 3" in page.content.decode()
    page = client.get(reverse("tenants:notice_list"), {"department": engineering.pk, "date_from": "2026-01-01"})
    assert len(page.context["object_list"]) == 2
    empty = client.get(reverse("tenants:notice_list"), {"date_from": "2030-01-01"})
    assert 'id="empty-state"' in empty.content.decode()
    export = client.get(reverse("tenants:notice_list"), {"status": "draft", "export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["草稿通知"]
    assert ExportLog.objects.filter(name="tenant-notices", row_count=1).exists()
    assert client.get(reverse("tenants:notice_list"), {"date_from": "x", "sort": "zz", "page": "9"}).status_code in (
        200, 404)  # fmt: skip


def test_the_list_costs_the_same_with_1_or_25_notices(
    client_for, desk, engineering, notice_tenants, django_assert_max_num_queries
):
    """TEN-06, DSH-03: constant query count."""
    client = client_for(desk)
    draft(desk, engineering, notice_tenants)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("tenants:notice_list"))
    for _ in range(24):
        draft(desk, engineering, notice_tenants[:1])
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("tenants:notice_list"))
    assert len(page.context["object_list"]) == 25


def test_the_notice_page_costs_the_same_with_300_addressees(
    client_for, desk, engineer, engineering, gm, notice_tenants, django_assert_max_num_queries
):
    """TEN-06: the notice page and its export with 3 and with 300 addressees: the same count."""
    client = client_for(desk)
    small = walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)
    notice_receipt_paper(actor=desk, notice=small, tenant=notice_tenants[0], scan=png())
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("tenants:notice_detail", args=[small.pk])).status_code == 200
    many = [TenantFactory(actor=desk, floor="3F", unit=f"3F-{n:03d}") for n in range(297)]
    big = walk(draft(desk, engineering, notice_tenants + many), to="delivered", head=engineer, gm=gm, desk=desk)
    for tenant in notice_tenants:
        notice_receipt_paper(actor=desk, notice=big, tenant=tenant, scan=png())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("tenants:notice_detail", args=[big.pk]))
    assert len(page.context["unsigned"]) == 297 and len(page.context["signed"]) == 3
    with django_assert_max_num_queries(12):
        assert client.get(reverse("tenants:notice_export", args=[big.pk])).status_code == 200


def test_the_notice_page_shows_the_step_for_whoever_may_act(
    client_for, desk, engineer, engineering, gm, notice_tenants
):
    """TEN-06: the department head sees "approve", management "approve the seal", the desk
    "seal" and "deliver"; each through the page."""
    notice = draft(desk, engineering, notice_tenants)
    url = reverse("tenants:notice_detail", args=[notice.pk])
    assert client_for(desk).get(url).context["step"] is None
    assert client_for(engineer).get(url).context["step"] == "approve"
    for person, step in ((engineer, "approve"), (gm, "approve-seal"), (desk, "seal"), (desk, "deliver")):
        response = client_for(person).post(reverse("tenants:notice_step", args=[notice.pk, step]))
        assert response.status_code == 302, step
    assert Notice.objects.get(pk=notice.pk).status == "delivered"


def test_a_step_out_of_order_on_the_page_is_a_message(client_for, desk, engineering, gm, notice_tenants):
    """TEN-06: wrong order → 400 with the message; the wrong person → 403; nothing written."""
    notice = draft(desk, engineering, notice_tenants)
    response = client_for(desk).post(reverse("tenants:notice_step", args=[notice.pk, "seal"]))
    assert response.status_code == 400 and "Management approves the seal" in response.content.decode()
    assert client_for(gm).post(reverse("tenants:notice_step", args=[notice.pk, "approve"])).status_code == 403
    assert client_for(desk).post(reverse("tenants:notice_step", args=[notice.pk, "nope"])).status_code == 404
    assert Notice.objects.get(pk=notice.pk).status == "draft"


def test_a_new_notice_from_a_template_by_floor(client_for, desk, engineering, notice_tenants, template):
    """TEN-06: drafted from the template, addressed to one floor's tenants."""
    client = client_for(desk)
    page = client.get(reverse("tenants:notice_new"), {"template": template.pk})
    assert page.context["form"].initial["body"] == template.body
    values = {"template": template.pk, "department": engineering.pk, "title": template.title, "body": template.body,
              "notice_date": "2026-03-02", "due_date": "2026-03-20", "address": "floor", "floor": "2F"}  # fmt: skip
    response = client.post(reverse("tenants:notice_new"), values)
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert list(notice.addressees.values_list("tenant__unit", flat=True)) == ["2F-201"]
    two = [notice_tenants[0].pk, notice_tenants[1].pk]
    picked = client.post(reverse("tenants:notice_new"), {**values, "address": "picked", "tenants": two})
    assert picked.status_code == 302
    everyone = client.post(reverse("tenants:notice_new"), {**values, "address": "all"})
    assert everyone.status_code == 302
    assert [n.addressees.count() for n in Notice.objects.order_by("pk")] == [1, 2, 3]


def test_a_new_notice_with_a_bad_placeholder_is_a_form_error(client_for, desk, engineering, notice_tenants):
    """TEN-06: never a 500 on bad input."""
    values = {"department": engineering.pk, "title": "t", "body": "{boss} 你好", "notice_date": "2026-03-02",
              "address": "all"}  # fmt: skip
    response = client_for(desk).post(reverse("tenants:notice_new"), values)
    assert response.status_code == 400 and "{boss}" in response.content.decode()
    assert client_for(desk).post(reverse("tenants:notice_new"), {**values, "body": "ok", "address": "floor"}
                                 ).status_code == 400  # fmt: skip
    assert not Notice.objects.exists()


def test_a_paper_receipt_upload(client_for, desk, delivered, notice_tenants):
    """TEN-06: operations uploads the scan; a bad file is a 400 with nothing written."""
    client = client_for(desk)
    url = reverse("tenants:notice_receipt", args=[delivered.pk])
    bad = client.post(url, {"tenant": notice_tenants[1].pk, "scan": upload("scan.pdf", EXE_BYTES)})
    assert bad.status_code == 400 and "program" in bad.content.decode()
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()
    good = client.post(
        url, {"tenant": notice_tenants[1].pk, "scan": upload("scan.pdf", PDF_BYTES), "signer_name": "李"}
    )
    assert good.status_code == 302
    row = NoticeAddressee.objects.get(signed_at__isnull=False)
    assert row.method == "paper"
    scan = client.get(reverse("tenants:notice_scan", args=[delivered.pk, row.pk]))
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    page = client.get(reverse("tenants:notice_detail", args=[delivered.pk]))
    assert len(page.context["signed"]) == 1 and len(page.context["unsigned"]) == 2


def test_the_export_of_one_notice_lists_who_signed(client_for, desk, delivered, notice_tenants):
    """TEN-06, DSH-03: laid out for printing; signed rows filled, unsigned blank."""
    notice_receipt_paper(actor=desk, notice=delivered, tenant=notice_tenants[0], scan=png(), signer_name="王店长")
    response = client_for(desk).get(reverse("tenants:notice_export", args=[delivered.pk]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row[1] in {t.unit for t in notice_tenants}]
    assert len(rows) == 3
    signed = next(row for row in rows if row[1] == notice_tenants[0].unit)
    assert signed[3] == "yes" and signed[4] == "Paper receipt" and signed[6] == "王店长"
    assert all(row[3] in (None, "") for row in rows if row[1] != notice_tenants[0].unit)
    assert sheet.page_setup.orientation == "portrait"
    assert ExportLog.objects.filter(name="tenant-notice").exists()


def test_the_public_link_signs_once(client, desk, delivered):
    """TEN-06: no login; works once; a used link is 410, an unknown one 404."""
    addressee = delivered.addressees.first()
    url = notice_link_reissue(actor=desk, addressee=addressee)
    path = reverse("tenants:notice_sign", args=[_token(url)])
    page = client.get(path)
    assert page.status_code == 200 and addressee.tenant.shop_name in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    assert client.post(path, {"signer_name": "张三"}).status_code == 200
    row = NoticeAddressee.objects.get(pk=addressee.pk)
    assert (row.method, row.signer_name) == ("link", "张三")
    again = client.post(path, {"signer_name": "李四"})
    assert again.status_code in (404, 410)
    assert NoticeAddressee.objects.get(pk=addressee.pk).signer_name == "张三"
    assert client.get(reverse("tenants:notice_sign", args=["nope"])).status_code == 404


def test_an_expired_public_link_is_410(client, desk, delivered):
    """TEN-06: an expired link shows a clear page and writes nothing."""
    url = notice_link_reissue(actor=desk, addressee=delivered.addressees.first())
    path = reverse("tenants:notice_sign", args=[_token(url)])
    with time_machine.travel(delivered.delivered_at + timedelta(days=31)):
        response = client.post(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()


def test_templates_list_and_edit(client_for, desk, engineer, template):
    """TEN-06: operations edits the templates; a department reads them; a bad placeholder is a
    form error."""
    assert client_for(engineer).get(reverse("tenants:notice_templates")).status_code == 200
    assert client_for(engineer).get(reverse("tenants:notice_template_edit", args=[template.pk])).status_code == 403
    client = client_for(desk)
    bad = client.post(reverse("tenants:notice_template_edit", args=[template.pk]),
                      {"name": "x", "title": "x", "body": "{nope}"})  # fmt: skip
    assert bad.status_code == 400
    ok = client.post(
        reverse("tenants:notice_template_new"), {"name": "节日问候", "title": "节日问候", "body": "{tenant}"}
    )
    assert ok.status_code == 302 and NoticeTemplate.objects.count() == 2


def test_a_department_sees_its_own_notices_only(client_for, desk, engineering, safety_staff, notice_tenants):
    """TEN-06, ORG-02: the department concerned sees its own; another department none."""
    notice = draft(desk, engineering, notice_tenants)
    client = client_for(safety_staff)
    assert client.get(reverse("tenants:notice_list")).context["object_list"].count() == 0
    assert client.get(reverse("tenants:notice_detail", args=[notice.pk])).status_code == 404


def test_an_outsider_gets_nothing(client_for, rep, buyer, delivered, template, notice_tenants):
    """ORG-02, TEN-06: 403 on the lists and forms, 404 on the notice and everything under it."""
    addressee = delivered.addressees.first()
    for person in (rep, buyer):
        client = client_for(person)
        for name in ("tenants:notice_list", "tenants:notice_new", "tenants:notice_templates",
                     "tenants:notice_template_new"):  # fmt: skip
            assert client.get(reverse(name)).status_code == 403, name
        assert client.get(reverse("tenants:notice_list"), {"export": "xlsx"}).status_code == 403
        assert client.get(reverse("tenants:notice_template_edit", args=[template.pk])).status_code == 403
        for name, args in (("tenants:notice_detail", [delivered.pk]), ("tenants:notice_export", [delivered.pk]),
                           ("tenants:notice_scan", [delivered.pk, addressee.pk])):  # fmt: skip
            assert client.get(reverse(name, args=args)).status_code == 404, name
        for name, args in (("tenants:notice_step", [delivered.pk, "approve"]),
                           ("tenants:notice_receipt", [delivered.pk]),
                           ("tenants:notice_link", [delivered.pk, addressee.pk])):  # fmt: skip
            assert client.post(reverse(name, args=args), {"tenant": notice_tenants[0].pk}).status_code == 404, name
    assert not NoticeAddressee.objects.filter(signed_at__isnull=False).exists()
