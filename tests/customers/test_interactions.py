"""Interactions 沟通记录 (CUS-08): logging from the customer page with its rules, the list with
filters and export, access (ORG-02) and query counts."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

import customers.my_work  # noqa: F401  (registers the panels, as CustomersConfig.ready() does)
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.models import ExportLog
from customers.models import Interaction
from customers.services.interactions import interaction_log
from tests.customers.factories import ContactFactory, CustomerFactory, InteractionFactory, VisitFactory


def _form(**overrides):
    data = {
        "kind": "phone",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "电话沟通下月订货计划",
        "next_step": "发送报价单",
        "follow_up_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_logs_an_interaction_from_the_customer_page(client_for, rep):
    """CUS-08: channel, date, summary, next step, follow-up date, contact."""
    customer = CustomerFactory(owner=rep)
    contact = ContactFactory(customer=customer, name="李采购")
    client = client_for(rep)
    page = client.get(f"/customers/{customer.pk}/interactions/new/")
    assert page.status_code == 200 and f"/pickers/contacts/?customer={customer.pk}" in page.content.decode()
    found = client.get("/pickers/contacts/", {"customer": customer.pk}).json()["results"]
    assert found == [{"id": contact.pk, "text": "李采购"}]  # what the contact picker offers
    response = client.post(f"/customers/{customer.pk}/interactions/new/", _form(contact=contact.pk))
    assert response.status_code == 302 and response["Location"].endswith("#tab-timeline")
    interaction = Interaction.objects.get()
    assert (interaction.customer, interaction.contact, interaction.kind, interaction.created_by) == (
        customer, contact, "phone", rep,
    )  # fmt: skip
    assert interaction.next_step == "发送报价单"
    assert "电话沟通下月订货计划" in client.get(f"/customers/{customer.pk}/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"summary": "   "}, "summary", ""),
        ({"follow_up_date": "2020-01-01"}, "follow_up_date", "cannot be before"),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "future"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client_for, rep, overrides, field, message):
    """CUS-08: summary required; follow-up not before the interaction; not in the future."""
    customer = CustomerFactory(owner=rep)
    response = client_for(rep).post(f"/customers/{customer.pk}/interactions/new/", _form(**overrides))
    assert response.status_code == 400
    errors = " ".join(str(error) for error in response.context["form"].errors.get(field, []))
    assert errors and message in errors
    assert not Interaction.objects.exists()


def test_the_contact_must_belong_to_the_customer(rep):
    """CUS-08, CUS-07: a contact of another customer is refused."""
    customer = CustomerFactory(owner=rep)
    stranger = ContactFactory(customer=CustomerFactory(owner=rep))
    with pytest.raises(DomainError) as error:
        interaction_log(
            actor=rep, customer=customer, kind="phone", occurred_at=timezone.now(), summary="x", contact=stranger
        )
    assert error.value.field == "contact"
    with pytest.raises(DomainError) as error:
        interaction_log(actor=rep, customer=customer, kind="fax", occurred_at=timezone.now(), summary="x")
    assert error.value.field == "kind"
    assert not Interaction.objects.exists()


def test_management_reads_but_does_not_log(client_for, rep, gm):
    """ORG-02: management is read-only."""
    customer = CustomerFactory(owner=rep)
    with pytest.raises(PermissionDenied):
        interaction_log(actor=gm, customer=customer, kind="phone", occurred_at=timezone.now(), summary="x")
    client = client_for(gm)
    assert client.get(f"/customers/{customer.pk}/interactions/new/").status_code == 403
    assert client.post(f"/customers/{customer.pk}/interactions/new/", _form()).status_code == 403
    InteractionFactory(customer=customer)
    assert client.get("/customers/interactions/").context["paginator"].count == 1
    assert Interaction.objects.count() == 1


def test_another_reps_customer_is_a_404(client_for, rep, other_rep, outsider):
    """ORG-02: another rep, or another department, never sees nor logs on it."""
    customer = CustomerFactory(owner=rep)
    InteractionFactory(customer=customer)
    for user in (other_rep, outsider):
        client = client_for(user)
        assert client.get(f"/customers/{customer.pk}/interactions/new/").status_code == 404
        assert client.post(f"/customers/{customer.pk}/interactions/new/", _form()).status_code == 404
        listed = client.get("/customers/interactions/")
        assert listed.status_code == 200 and listed.context["paginator"].count == 0
    assert Interaction.objects.count() == 1


def test_the_list_filters_kind_dates_owner_and_follow_up_due(client_for, rep, other_rep, manager):
    """CUS-08, DSH-03"""
    now = timezone.now()
    today = timezone.localdate()
    mine = CustomerFactory(owner=rep)
    theirs = CustomerFactory(owner=other_rep)
    due = InteractionFactory(
        customer=mine, kind="wechat", occurred_at=now - timedelta(days=10), follow_up_date=today - timedelta(days=1)
    )
    InteractionFactory(customer=mine, kind="phone", occurred_at=now - timedelta(days=40))
    # Followed up by a later interaction: no longer due.
    old = CustomerFactory(owner=rep)
    InteractionFactory(customer=old, occurred_at=now - timedelta(days=20), follow_up_date=today - timedelta(days=5))
    InteractionFactory(customer=old, occurred_at=now - timedelta(days=2))
    InteractionFactory(customer=theirs, occurred_at=now - timedelta(days=1), follow_up_date=today)
    client = client_for(rep)

    def count(client, **params):
        return client.get("/customers/interactions/", params).context["paginator"].count

    assert count(client) == 4
    assert count(client, kind="wechat") == 1
    assert count(client, occurred_from=today - timedelta(days=15), occurred_to=today) == 2
    assert list(client.get("/customers/interactions/", {"follow_up_due": "on"}).context["object_list"]) == [due]
    boss = client_for(manager)
    assert count(boss) == 5
    assert count(boss, owner=other_rep.pk) == 1
    assert count(boss, follow_up_due="on") == 2


def test_a_completed_visit_closes_the_follow_up(client_for, rep):
    """CUS-08, CUS-09: a visit completed after the interaction counts as its follow-up."""
    customer = CustomerFactory(owner=rep)
    InteractionFactory(
        customer=customer, occurred_at=timezone.now() - timedelta(days=5), follow_up_date=timezone.localdate()
    )
    client = client_for(rep)
    assert client.get("/customers/interactions/", {"follow_up_due": "on"}).context["paginator"].count == 1
    html = client.get("/").content.decode()
    assert 'id="my-follow-ups"' in html
    VisitFactory(customer=customer, status="completed", completed_at=timezone.now(), purpose="p", findings="f")
    assert client.get("/customers/interactions/", {"follow_up_due": "on"}).context["paginator"].count == 0


def test_the_export_is_scoped_filtered_and_logged(client_for, rep, other_rep):
    """CUS-07, DSH-03"""
    InteractionFactory(customer=CustomerFactory(owner=rep), kind="email", summary="=HYPERLINK(1)")
    InteractionFactory(customer=CustomerFactory(owner=rep), kind="phone")
    InteractionFactory(customer=CustomerFactory(owner=other_rep), kind="email")
    response = client_for(rep).get("/customers/interactions/", {"kind": "email", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][5] == "=HYPERLINK(1)"
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count, log.query) == (rep, "interactions", 1, "kind=email")


def _add(owner, count):
    for _index in range(count):
        customer = CustomerFactory(owner=owner)
        InteractionFactory(customer=customer, contact=ContactFactory(customer=customer))


def test_the_list_runs_a_constant_number_of_queries(client_for, rep):
    client = client_for(rep)
    _add(rep, 5)
    client.get("/customers/interactions/")
    with CaptureQueriesContext(connection) as five:
        client.get("/customers/interactions/")
    _add(rep, 45)
    with CaptureQueriesContext(connection) as fifty:
        client.get("/customers/interactions/")
    assert len(five) == len(fifty)


def test_a_huge_list_is_counted_only_up_to_the_cap(client_for, rep, monkeypatch):
    """DSH-03: a department's whole history is not counted row by row; the list says so."""
    from crm_project.core.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    customer = CustomerFactory(owner=rep)
    for _index in range(5):
        InteractionFactory(customer=customer)
    response = client_for(rep).get("/customers/interactions/")
    assert response.context["paginator"].count == 4 and response.context["paginator"].capped
    assert 'id="list-capped"' in response.content.decode()
    response = client_for(rep).get("/customers/interactions/", {"kind": "email"})
    assert not response.context["paginator"].capped
