"""The forms of the supplier pages (SUP-01 … SUP-07). They check only the shape of the input;
the rules are the services' (a refused step comes back as a DomainError on its field)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Principle, ScoreResult, Source, Supplier
from .models.documents import SURVEY_DOCUMENTS, DocumentKind
from .services.documents import CONTRACT_KINDS
from .services.register import LIMITS, NOTE_MAX
from .services.stages import PAYMENT_TERMS_MAX, REASON_MAX
from .services.survey import MAX_GOODS_LINES
from .services.survey import NOTE_MAX as SURVEY_NOTE_MAX

TEXTAREA = {"rows": 3}


def _text(label, *, max_length, required=True, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, help_text=help_text)


class SupplierForm(forms.Form):
    """SUP-02: a candidate's details, at registration and while the file is open."""

    name = _text(Supplier._meta.get_field("name").verbose_name, max_length=LIMITS["name"])
    credit_code = forms.CharField(
        label=_("unified social credit code 统一社会信用代码"),
        max_length=LIMITS["credit_code"],
        help_text=_("18 characters, the last one a check digit."),
    )
    legal_representative = _text(
        Supplier._meta.get_field("legal_representative").verbose_name, max_length=LIMITS["legal_representative"]
    )
    address = _text(Supplier._meta.get_field("address").verbose_name, max_length=LIMITS["address"], required=False)
    contact_name = _text(
        Supplier._meta.get_field("contact_name").verbose_name, max_length=LIMITS["contact_name"], required=False
    )
    contact_phone = _text(
        Supplier._meta.get_field("contact_phone").verbose_name, max_length=LIMITS["contact_phone"], required=False
    )
    contact_email = forms.EmailField(
        label=Supplier._meta.get_field("contact_email").verbose_name, max_length=LIMITS["contact_email"], required=False
    )
    goods = _text(Supplier._meta.get_field("goods").verbose_name, max_length=LIMITS["goods"], rows=3)
    source = forms.ChoiceField(label=Supplier._meta.get_field("source").verbose_name, choices=Source.choices)
    source_note = _text(
        Supplier._meta.get_field("source_note").verbose_name, max_length=LIMITS["source_note"], required=False
    )

    @classmethod
    def initial_of(cls, supplier: Supplier) -> dict:
        return {name: getattr(supplier, name) for name in cls.base_fields}


class NotesForm(forms.Form):
    """SUP-03: the notes of the interview and of the technical meeting."""

    interview_notes = _text(
        Supplier._meta.get_field("interview_notes").verbose_name, max_length=NOTE_MAX, required=False, rows=4,
        help_text=Supplier._meta.get_field("interview_notes").help_text,
    )  # fmt: skip
    technical_meeting_notes = _text(
        Supplier._meta.get_field("technical_meeting_notes").verbose_name, max_length=NOTE_MAX, required=False,
        rows=4, help_text=Supplier._meta.get_field("technical_meeting_notes").help_text,
    )  # fmt: skip


class DocumentForm(forms.Form):
    """SUP-03: one of the five documents; a kind uploaded before gets a new version."""

    kind = forms.ChoiceField(
        label=_("Document"), choices=[(kind, DocumentKind(kind).label) for kind in SURVEY_DOCUMENTS]
    )
    file = forms.FileField(label=_("File"), help_text=_("PDF, an image or an Office file."))


class ContractForm(forms.Form):
    """SUP-06: the scan of a signed contract with the day it was signed."""

    kind = forms.ChoiceField(
        label=_("Contract"),
        choices=[(short, DocumentKind(kind).label) for short, kind in CONTRACT_KINDS.items()],
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    file = forms.FileField(label=_("Scan"), help_text=_("PDF, an image or an Office file."))


class ScoreForm(forms.Form):
    """SUP-01: one principle scored pass / conditional / fail with a note."""

    principle = forms.TypedChoiceField(label=_("Principle"), choices=Principle.choices, coerce=int)
    result = forms.ChoiceField(label=_("Result"), choices=ScoreResult.choices, widget=forms.RadioSelect)
    note = _text(_("Note"), max_length=SURVEY_NOTE_MAX, rows=2)


class FindingForm(forms.Form):
    """SUP-04: the department's own findings and score, signed by the one who sends them."""

    department = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    findings = _text(pgettext_lazy("on-site survey", "Findings"), max_length=SURVEY_NOTE_MAX, rows=4)
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(number, str(number)) for number in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = poor, 5 = excellent"),
    )


class ApplicationForm(forms.Form):
    """SUP-05: the report to the head of purchasing."""

    trading_reasons = _text(
        Supplier._meta.get_field("trading_reasons").verbose_name, max_length=NOTE_MAX, required=False, rows=3
    )
    trading_policy = _text(
        Supplier._meta.get_field("trading_policy").verbose_name, max_length=NOTE_MAX, required=False, rows=3
    )


class GoodsLineForm(forms.Form):
    item = forms.CharField(label=_("Goods"), max_length=200, required=False)
    expected_amount = forms.DecimalField(
        label=_("Expected amount per year (CNY)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("expected_amount") is not None and not cleaned.get("item"):
            self.add_error("item", _("Name the goods of this amount."))
        return cleaned


GoodsLineFormSet = forms.formset_factory(
    GoodsLineForm, extra=3, max_num=MAX_GOODS_LINES, validate_max=True, absolute_max=MAX_GOODS_LINES
)


def goods_lines_of(formset) -> list[dict]:
    """The filled lines, as supplier_set_goods_lines() takes them."""
    return [
        {"item": form.cleaned_data["item"], "expected_amount": form.cleaned_data.get("expected_amount")}
        for form in formset.forms
        if form.cleaned_data.get("item")
    ]


class DecideForm(forms.Form):
    """SUP-05: the head of purchasing's decision."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", pgettext_lazy("decision", "approve")), ("reject", pgettext_lazy("decision", "reject"))],
        widget=forms.RadioSelect,
    )
    comment = _text(
        _("Comment"), max_length=REASON_MAX, required=False, rows=2, help_text=_("Required when you reject.")
    )


class ActivateForm(forms.Form):
    """SUP-07: the payment terms agreed with the supplier."""

    payment_terms = _text(
        _("Payment terms"), max_length=PAYMENT_TERMS_MAX, help_text=_("For example: 60 days after the month's end.")
    )


class AdvanceForm(forms.Form):
    note = _text(_("Note"), max_length=REASON_MAX, required=False, rows=2)


class ReasonForm(forms.Form):
    """Reject, suspend or re-activate: always with a reason."""

    reason = _text(_("Reason"), max_length=REASON_MAX, rows=2)
