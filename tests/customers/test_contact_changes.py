import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.models import ExportLog
from crm_project.notifications.models import Notification
from customers.models import ChangeStatus, Contact, ContactChangeRequest
from customers.services.contact_changes import (
    contact_change_approve_director,
    contact_change_approve_manager,
    contact_change_file,
    contact_change_record,
    contact_change_reject,
)
from tests.customers.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _customer_with_fee_contacts(owner, name="客户甲"):
    customer = CustomerFactory(owner=owner, name=name)
    a = ContactFactory(customer=customer, name="张采购", receives_fee=True, fee_share=Decimal("60.00"))
    b = ContactFactory(customer=customer, name="李经理", role="purchasing_head", receives_fee=True,
                       fee_share=Decimal("40.00"))  # fmt: skip
    ContactFactory(customer=customer, name="王前台", role="other")
    return customer, a, b


def _shares(customer):
    return {c.name: (c.fee_share, c.receives_fee, c.active) for c in Contact.objects.filter(customer=customer)}


def _file(rep, customer, a, b):
    return contact_change_file(
        actor=rep,
        customer=customer,
        reason="李经理调岗,赵总接手",
        items=[
            {"action": "remove", "contact": b},
            {"action": "share", "contact": a, "new_share": "50"},
            {"action": "add", "name": "赵总", "role": "executive", "phone": "13800000000", "new_share": "50.00"},
        ],
    )


def test_the_change_applies_only_at_the_directors_approval_end_to_end(
    client_for, rep, clerk, manager, director, django_capture_on_commit_callbacks
):
    """CUS-05: filed by the rep on the page, approved by the manager then the director,
    recorded by the clerk; until the director approves nothing changes."""
    customer, a, b = _customer_with_fee_contacts(rep)
    before = _shares(customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(rep).post(
            f"/customers/{customer.pk}/change-requests/new/",
            {"reason": "李经理调岗,赵总接手", f"share_{a.pk}": "50.00", f"share_{b.pk}": "40.00",
             f"remove_{b.pk}": "on", "add_0_name": "赵总", "add_0_role": "executive", "add_0_phone": "138",
             "add_0_share": "50"},
        )  # fmt: skip
    assert response.status_code == 302
    change = ContactChangeRequest.objects.get()
    assert response["Location"] == f"/customers/change-requests/{change.pk}/"
    assert change.status == ChangeStatus.PENDING and change.filed_by == rep
    assert sorted(change.items.values_list("action", flat=True)) == ["add", "remove", "share"]
    assert _shares(customer) == before
    assert Notification.objects.filter(recipient=manager, kind="contact-change").exists()

    page = client_for(rep).get(f"/customers/{customer.pk}/")
    assert [c.pk for c in page.context["pending_contact_changes"]] == [change.pk]

    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(f"/customers/change-requests/{change.pk}/manager/")
    change.refresh_from_db()
    assert (change.status, change.manager) == (ChangeStatus.MANAGER_APPROVED, manager)
    assert change.manager_at is not None
    assert _shares(customer) == before
    assert Notification.objects.filter(recipient=director, kind="contact-change").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(director).post(f"/customers/change-requests/{change.pk}/director/")
    change.refresh_from_db()
    assert (change.status, change.director) == (ChangeStatus.APPROVED, director)
    after = _shares(customer)
    assert after["张采购"] == (Decimal("50.00"), True, True)
    assert after["李经理"] == (Decimal("0.00"), False, False)
    assert after["赵总"] == (Decimal("50.00"), True, True)
    assert after["王前台"] == before["王前台"]
    assert Notification.objects.filter(recipient=clerk, kind="contact-change").exists()
    customer.refresh_from_db()
    assert "赵总" in customer.search_text and "李经理" not in customer.search_text

    client_for(clerk).post(f"/customers/change-requests/{change.pk}/clerk/")
    change.refresh_from_db()
    assert (change.status, change.clerk) == (ChangeStatus.RECORDED, clerk)
    assert change.clerk_at >= change.director_at >= change.manager_at >= change.filed_at


def test_the_steps_come_strictly_in_order(rep, clerk, manager, director):
    """CUS-05: manager, then director, then clerk."""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    with pytest.raises(DomainError, match="manager must approve"):
        contact_change_approve_director(actor=director, request=change)
    with pytest.raises(DomainError, match="director must approve"):
        contact_change_record(actor=clerk, request=change)
    with pytest.raises(PermissionDenied):
        contact_change_approve_manager(actor=clerk, request=change)
    contact_change_approve_manager(actor=manager, request=change)
    with pytest.raises(DomainError, match="director must approve"):
        contact_change_record(actor=clerk, request=change)
    with pytest.raises(DomainError, match="already"):
        contact_change_approve_manager(actor=manager, request=change)
    with pytest.raises(PermissionDenied):
        contact_change_approve_director(actor=manager, request=change)
    change.refresh_from_db()
    assert change.status == ChangeStatus.MANAGER_APPROVED
    assert Contact.objects.get(pk=b.pk).receives_fee


def test_nobody_approves_their_own_request(rep, manager, director):
    """CUS-05"""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(manager, customer, a, b)
    with pytest.raises(DomainError, match="own request"):
        contact_change_approve_manager(actor=manager, request=change)
    with pytest.raises(DomainError, match="own request"):
        contact_change_reject(actor=manager, request=change, reason="自己驳回")
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_the_shares_must_add_up_to_100_percent(client_for, rep):
    """CUS-04, CUS-05: bad requests are refused with a clear message and nothing is filed."""
    customer, a, b = _customer_with_fee_contacts(rep)
    other_customer, other_contact, _ = _customer_with_fee_contacts(rep, name="客户乙")
    non_fee = Contact.objects.get(customer=customer, name="王前台")

    def refused(items, match):
        with pytest.raises(DomainError, match=match):
            contact_change_file(actor=rep, customer=customer, reason="调整", items=items)

    refused([{"action": "share", "contact": a, "new_share": "59"}], r"add up to 99\.00 %, not 100 %")
    refused([{"action": "share", "contact": a, "new_share": "0"}], "more than 0")
    refused([{"action": "share", "contact": a, "new_share": "101"}], "at most 100")
    refused([{"action": "share", "contact": a, "new_share": "abc"}], "not a number")
    refused([{"action": "share", "contact": a, "new_share": "60"}], "already")
    refused(
        [{"action": "remove", "contact": a}, {"action": "share", "contact": a, "new_share": "100"}], "more than once"
    )
    refused([{"action": "remove", "contact": other_contact}], "of this customer")
    refused([{"action": "remove", "contact": non_fee}], "fee-receiving")
    refused([{"action": "add", "name": "", "new_share": "10"}], "needs a name")
    refused([], "at least one change")
    with pytest.raises(DomainError, match="why"):
        contact_change_file(actor=rep, customer=customer, reason=" ", items=[{"action": "remove", "contact": a}])

    response = client_for(rep).post(
        f"/customers/{customer.pk}/change-requests/new/",
        {"reason": "调整", f"share_{a.pk}": "59.00", f"share_{b.pk}": "40.00"},
    )
    assert response.status_code == 200
    assert "add up to 99.00 %, not 100 %" in response.content.decode()
    assert not ContactChangeRequest.objects.exists()
    assert other_customer  # untouched

    # removing everybody is fine: nobody receives fees any more
    change = contact_change_file(
        actor=rep, customer=customer, reason="停止合作",
        items=[{"action": "remove", "contact": a}, {"action": "remove", "contact": b}],
    )  # fmt: skip
    assert change.items.count() == 2
    with pytest.raises(DomainError, match="already under way"):
        _file(rep, customer, a, b)


def test_a_rejected_request_changes_nothing(client_for, rep, manager, director, clerk):
    """CUS-05: a rejected or unapproved change is invalid."""
    customer, a, b = _customer_with_fee_contacts(rep)
    before = _shares(customer)
    change = _file(rep, customer, a, b)
    contact_change_approve_manager(actor=manager, request=change)
    response = client_for(director).post(f"/customers/change-requests/{change.pk}/reject/", {"reason": ""}, follow=True)
    assert "why" in " ".join(str(m) for m in response.context["messages"])
    client_for(director).post(f"/customers/change-requests/{change.pk}/reject/", {"reason": "比例不合理"})
    change.refresh_from_db()
    assert (change.status, change.rejected_by, change.rejection_reason) == ("rejected", director, "比例不合理")
    with pytest.raises(DomainError, match="rejected"):
        contact_change_approve_director(actor=director, request=change)
    with pytest.raises(DomainError):
        contact_change_record(actor=clerk, request=change)
    assert _shares(customer) == before
    # a new request may be filed once the old one is decided
    assert _file(rep, customer, a, b).status == ChangeStatus.PENDING


def test_the_directors_approval_rechecks_the_current_contacts(rep, manager, director):
    """CUS-05: if the contacts changed meanwhile, the approval is refused and nothing applies."""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    contact_change_approve_manager(actor=manager, request=change)
    extra = ContactFactory(customer=customer, receives_fee=True, fee_share=Decimal("10.00"))  # e.g. in the admin
    with pytest.raises(DomainError, match=r"changed since.*110\.00 %"):
        contact_change_approve_director(actor=director, request=change)
    Contact.objects.filter(pk=extra.pk).update(receives_fee=False, fee_share=0)
    Contact.objects.filter(pk=b.pk).update(receives_fee=False, fee_share=0)
    with pytest.raises(DomainError, match="no longer receives fees"):
        contact_change_approve_director(actor=director, request=change)
    Contact.objects.filter(pk=b.pk).update(receives_fee=True, fee_share=40)
    change.refresh_from_db()
    assert change.status == ChangeStatus.MANAGER_APPROVED
    assert Contact.objects.get(pk=a.pk).fee_share == Decimal("60.00")
    assert not Contact.objects.filter(name="赵总").exists()


def test_form5_export_is_laid_out_like_the_paper_form_with_the_signers(client_for, rep, clerk, manager, director):
    """CUS-05, CUS-07: 附表5 with the signers' names; the export is logged."""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    contact_change_approve_manager(actor=manager, request=change)
    contact_change_approve_director(actor=director, request=change)
    contact_change_record(actor=clerk, request=change)
    response = client_for(clerk).get(f"/customers/change-requests/{change.pk}/form5.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    text = " ".join(values)
    assert "月客户相关人员变更申请表" in text
    expected = [customer.name, customer.code, "张采购", "李经理", "赵总", "李经理调岗,赵总接手"]
    expected += ["销售代表", "销售部经理", "销售总监", "销售文员", "rep", "manager", "director", "clerk"]
    for value in expected:
        assert value in values, value
    assert any(str(merged) == "A2:F2" for merged in sheet.merged_cells.ranges)
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count) == (clerk, "form5", 3)


def test_form5_leaves_unsigned_cells_empty(client_for, rep):
    """CUS-05"""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    response = client_for(rep).get(f"/customers/change-requests/{change.pk}/form5.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    signatures = {row[0]: row[2] for row in rows if row[0] in ("销售代表", "销售部经理", "销售总监", "销售文员")}
    assert signatures["销售部经理"] in (None, "") and signatures["销售文员"] in (None, "")
    assert "rep" in [row[2] for row in rows if row[0] == "销售代表"]


def test_the_request_page_shows_the_buttons_of_whose_turn_it_is(client_for, rep, manager, director, clerk):
    """CUS-05"""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    url = f"/customers/change-requests/{change.pk}/"
    assert client_for(manager).get(url).context["may_take_step"] is True
    assert client_for(director).get(url).context["may_take_step"] is False
    assert client_for(rep).get(url).context["may_reject"] is False
    assert "take-step" not in client_for(rep).get(url).content.decode()
    contact_change_approve_manager(actor=manager, request=change)
    assert client_for(director).get(url).context["may_take_step"] is True
    assert client_for(director).get(url).context["may_reject"] is True
    assert client_for(clerk).get(url).context["may_take_step"] is False


def test_the_list_shows_what_waits_for_me(client_for, rep, manager, director, clerk):
    """CUS-05: managers, directors and clerks see what waits for them; the rep their own."""
    first, a1, b1 = _customer_with_fee_contacts(rep, name="客户一")
    second, a2, b2 = _customer_with_fee_contacts(rep, name="客户二")
    waiting_for_manager = _file(rep, first, a1, b1)
    waiting_for_director = _file(rep, second, a2, b2)
    contact_change_approve_manager(actor=manager, request=waiting_for_director)

    def listed(user, **params):
        return [c.pk for c in client_for(user).get("/customers/change-requests/", params).context["object_list"]]

    assert listed(manager) == [waiting_for_manager.pk]
    assert listed(director) == [waiting_for_director.pk]
    assert listed(clerk) == []
    assert set(listed(rep)) == {waiting_for_manager.pk, waiting_for_director.pk}
    assert set(listed(manager, show="all")) == {waiting_for_manager.pk, waiting_for_director.pk}
    assert listed(manager, show="all", q="客户二") == [waiting_for_director.pk]


def test_non_fee_contacts_are_added_edited_and_removed_on_the_page(client_for, rep):
    """CUS-04: contacts without fees are edited directly; fee-receiving ones only by 附表5."""
    customer, a, _b = _customer_with_fee_contacts(rep)
    client = client_for(rep)
    response = client.post(f"/customers/{customer.pk}/contacts/new/", {"name": "陈秘书", "role": "other",
                                                                       "phone": "020-888"})  # fmt: skip
    assert response.status_code == 302
    contact = Contact.objects.get(name="陈秘书")
    assert (contact.receives_fee, contact.fee_share) == (False, Decimal("0.00"))
    response = client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/edit/",
                           {"name": "陈秘书", "role": "purchaser", "phone": "020-999"})  # fmt: skip
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.role, contact.phone) == ("purchaser", "020-999")
    client.post(f"/customers/{customer.pk}/contacts/{contact.pk}/deactivate/")
    contact.refresh_from_db()
    assert contact.active is False
    response = client.post(f"/customers/{customer.pk}/contacts/{a.pk}/deactivate/", follow=True)
    assert "change request" in " ".join(str(m) for m in response.context["messages"])
    assert Contact.objects.get(pk=a.pk).active
    response = client.post(f"/customers/{customer.pk}/contacts/new/", {"name": "", "role": "other"})
    assert response.status_code == 200 and "name" in response.context["form"].errors


def test_another_rep_gets_a_404_on_every_url(client_for, rep, other_rep, manager):
    """ORG-02, CUS-07: another rep cannot see, file, approve or download anything here."""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    non_fee = Contact.objects.get(customer=customer, name="王前台")
    client = client_for(other_rep)
    gets = [
        f"/customers/{customer.pk}/change-requests/new/",
        f"/customers/change-requests/{change.pk}/",
        f"/customers/change-requests/{change.pk}/form5.xlsx",
        f"/customers/{customer.pk}/contacts/new/",
        f"/customers/{customer.pk}/contacts/{non_fee.pk}/edit/",
    ]
    posts = [
        *gets[:1],
        *gets[3:],
        f"/customers/change-requests/{change.pk}/manager/",
        f"/customers/change-requests/{change.pk}/director/",
        f"/customers/change-requests/{change.pk}/clerk/",
        f"/customers/change-requests/{change.pk}/reject/",
        f"/customers/{customer.pk}/contacts/{non_fee.pk}/deactivate/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"reason": "x", "name": "x", "role": "other"}).status_code == 404, url
    assert client.get("/customers/change-requests/", {"show": "all"}).context["paginator"].count == 0
    assert ContactChangeRequest.objects.get().status == ChangeStatus.PENDING
    assert Contact.objects.get(pk=non_fee.pk).active
    assert not ExportLog.objects.exists()


def test_the_change_request_list_runs_a_constant_number_of_queries(client_for, rep, manager):
    def add(count):
        for n in range(count):
            customer, a, b = _customer_with_fee_contacts(rep, name=f"客户{n}")
            _file(rep, customer, a, b)

    client = client_for(manager)
    add(5)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get("/customers/change-requests/").context["object_list"]) == 5
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/customers/change-requests/").context["object_list"]) == 25
    assert len(five) == len(fifty)


def test_approving_asks_once_whose_contacts_change(client_for, rep, manager, director, clerk):
    """CUS-05: the manager's and the director's approve buttons ask, naming the customer and who
    filed the change; the clerk's record step does not (it changes nothing more)."""
    customer, a, b = _customer_with_fee_contacts(rep)
    change = _file(rep, customer, a, b)
    url = f"/customers/change-requests/{change.pk}/"

    def question(user):
        page = client_for(user).get(url).content.decode()
        button = page[page.index('id="take-step"') :].split("</form>", 1)[0]
        return button.split('data-confirm="', 1)[1].split('"', 1)[0] if "data-confirm" in button else None

    assert customer.name in question(manager) and rep.display_name in question(manager)
    contact_change_approve_manager(actor=manager, request=change)
    assert customer.name in question(director)
