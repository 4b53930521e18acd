"""Required fields are marked as required before the user submits: every required field of the
main forms carries the `required` attribute and an asterisk in its label, and the form explains
the asterisk ("* 必填") — crispy-rendered and hand-laid forms alike (CUS-01, CUS-04, CUS-05,
CUS-08, CUS-09, CUS-10, CMP-01, EXP-02, EXP-09, EXP-10, SUR-01)."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.test import Client

from crm_project.accounts.models import Department
from crm_project.accounts.roles import Role
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LEGEND = re.compile(r'class="form-text required-legend"><span class="asteriskField"[^>]*>\*</span> (必填|required)</p>')


class _Form(HTMLParser):
    """Controls by id (with their attributes) and the text of each label, by its `for`."""

    def __init__(self):
        super().__init__()
        self.controls: dict[str, dict] = {}
        self.labels: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"input", "select", "textarea"} and attributes.get("id"):
            self.controls[attributes["id"]] = attributes
        if tag == "label" and attributes.get("for"):
            self._label = attributes["for"]
            self.labels.setdefault(self._label, "")
        if tag == "span" and self._label and "asteriskField" in (attributes.get("class") or ""):
            self.labels[self._label] += "[*]"

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data


def _check(response, form_name="form"):
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context[form_name]
    page = _Form()
    page.feed(html)
    required = [
        bound for bound in form if bound.field.required and not isinstance(bound.field.widget, forms.HiddenInput)
    ]
    assert required, f"{form.__class__.__name__} has no required field to check"
    for bound in required:
        control_id = bound.auto_id if bound.auto_id in page.controls else f"{bound.auto_id}_0"
        assert control_id in page.controls, f"{bound.name}: not rendered"
        # Django leaves `required` off a select whose first option is a real choice (HTML's rule
        # for required selects); it cannot be left empty, and its label still has the asterisk.
        if bound.field.widget.use_required_attribute(bound.initial):
            assert "required" in page.controls[control_id], f"{bound.name}: no required attribute"
        assert "[*]" in page.labels.get(control_id, ""), f"{bound.name}: its label has no asterisk"
    for bound in form:
        if not bound.field.required and bound.auto_id in page.labels:
            assert "[*]" not in page.labels[bound.auto_id], f"{bound.name}: optional but marked required"
    assert LEGEND.search(html), "the form does not explain the asterisk"


@pytest.fixture
def customer(rep):
    return CustomerFactory(owner=rep)


@pytest.mark.parametrize(
    "path",
    [
        "/customers/new/",
        "/customers/{customer}/contacts/new/",
        "/customers/{customer}/interactions/new/",
        "/customers/{customer}/visits/new/",
        "/customers/imports/new/",
        "/fees/special-fees/new/",
    ],
)
def test_the_reps_forms_mark_their_required_fields(client_for, rep, customer, path):
    """CUS-01, CUS-04, CUS-08, CUS-09, CUS-12, EXP-09: asterisk, required attribute and legend."""
    _check(client_for(rep).get(path.format(customer=customer.pk)))


def test_the_change_request_reason_is_marked(client_for, rep, customer):
    """CUS-05: the reason of a contact change request (附表5) is required and marked."""
    _check(client_for(rep).get(f"/customers/{customer.pk}/change-requests/new/"))


def test_the_purchase_and_standard_forms_mark_their_required_fields(client_for, clerk, finance, rep, customer):
    """CUS-10, EXP-02: the clerk's purchase form and finance's fee-standard form."""
    _check(client_for(clerk).get(f"/customers/{customer.pk}/purchases/new/"))
    _check(client_for(finance).get("/fees/standards/"))


def test_the_complaint_forms_mark_their_required_fields(client_for):
    """CMP-01: customer service's intake form and the public form without a login."""
    department = Department.objects.create(code="CS", name_zh="客服部", name_en="Customer Service")
    service = UserFactory(username="service-desk", department=department, roles=[Role.CUSTOMER_SERVICE])
    _check(client_for(service).get("/complaints/new/"))
    _check(Client().get("/complaints/public/new/"))


def test_the_login_and_survey_forms_mark_their_required_fields(client_for, manager):
    """SUR-01: the survey form; and the login page."""
    _check(client_for(manager).get("/surveys/new/"))
    _check(Client().get("/login/"))


def test_the_legend_reads_bizhi_in_chinese(client_for, rep):
    """CUS-01: in Chinese the legend is "* 必填"."""
    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    response = client_for(rep).get("/customers/new/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert LEGEND.search(response.content.decode()).group(1) == "必填"


def test_the_legend_is_shown_only_for_forms_with_required_fields():
    """SUR-01: a form of optional fields gets no legend."""
    from crm_project.core.templatetags.crm_forms import required_legend

    class Optional(forms.Form):
        note = forms.CharField(required=False)

    class Mandatory(forms.Form):
        note = forms.CharField()

    assert required_legend(Optional()) == ""
    assert "必填" in required_legend(Mandatory()) or "required" in required_legend(Mandatory())
