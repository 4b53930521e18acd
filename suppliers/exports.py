"""Supplier exports: the list (the filtered rows of the screen), finance's payment terms, and a
supplier's whole file as one printable workbook (SUP-07), each logged like every export."""

import io

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from crm_project.core.exports import MONEY_FORMAT, Column, Export
from crm_project.core.models import ExportLog
from crm_project.core.paper_forms import LEFT, PaperForm, local_text

from .models import Principle, Stage
from .models.documents import CONTRACTS, SURVEY_DOCUMENTS, DocumentKind
from .permissions import survey_department_codes


class SupplierExport(Export):
    name = "suppliers"
    columns = [
        Column(gettext_lazy("Supplier code"), "code", 16),
        Column(gettext_lazy("Company name"), "name", 30),
        Column(gettext_lazy("Unified social credit code"), "credit_code", 22),
        Column(gettext_lazy("Legal representative"), "legal_representative", 14),
        Column(gettext_lazy("Stage"), "get_stage_display", 16),
        Column(gettext_lazy("Suspended"), lambda s: _("yes") if s.suspended_at else "", 10),
        Column(gettext_lazy("Goods or services offered"), "goods", 40),
        Column(gettext_lazy("Source"), "get_source_display", 14),
        Column(gettext_lazy("Contact person"), "contact_name", 14),
        Column(gettext_lazy("Contact phone"), "contact_phone", 16),
        Column(gettext_lazy("Contact e-mail"), "contact_email", 24),
        Column(gettext_lazy("Registered at"), "registered_at", 18),
        Column(gettext_lazy("Registered by"), lambda s: s.registered_by.display_name, 14),
        Column(gettext_lazy("Activated at"), "activated_at", 18),
        Column(gettext_lazy("Payment terms"), "payment_terms", 30),
        Column(gettext_lazy("Reason for rejection"), "rejected_reason", 30),
    ]

    def objects(self, queryset):
        return queryset.select_related("registered_by").iterator(chunk_size=self.chunk_size)


class PaymentTermsExport(Export):
    """Finance's view (ORG-02): code, name, payment terms; nothing else of the file."""

    name = "supplier-payment-terms"
    columns = [
        Column(gettext_lazy("Supplier code"), "code", 16),
        Column(gettext_lazy("Company name"), "name", 36),
        Column(gettext_lazy("Payment terms"), "payment_terms", 40),
        Column(gettext_lazy("Suspended"), lambda s: _("yes") if s.suspended_at else "", 10),
    ]


WIDTHS = [6, 22, 16, 18, 18, 30]
LAST = len(WIDTHS)


class _Sheet:
    """Rows written one after another: section headings, label/value lines and small tables."""

    def __init__(self, out: PaperForm):
        self.out = out
        self.row = 2

    def heading(self, text) -> None:
        self.row += 2
        cell = self.out.put(self.row, 1, str(text), to_col=LAST, bold=True, align=LEFT, border=False)
        cell.font = Font(bold=True, size=12)

    def line(self, label, value, *, height: int | None = None) -> None:
        self.row += 1
        self.out.put(self.row, 1, str(label), to_col=2, bold=True, align=LEFT)
        self.out.put(self.row, 3, value if value not in (None, "") else "—", to_col=LAST, align=LEFT)
        if height:
            self.out.sheet.row_dimensions[self.row].height = height

    def table(self, headers: list, rows: list[list], *, spans: list[int] | None = None) -> None:
        """`spans`: the number of sheet columns each table column takes (they add up to LAST)."""
        spans = spans or [1] * LAST
        self._table_row(headers, spans, bold=True)
        for values in rows:
            self._table_row(values, spans)
        if not rows:
            self.row += 1
            self.out.put(self.row, 1, _("none"), to_col=LAST, align=LEFT)

    def _table_row(self, values, spans, *, bold=False) -> None:
        self.row += 1
        col = 1
        for value, span in zip(values, spans, strict=True):
            fmt = MONEY_FORMAT if not bold and hasattr(value, "quantize") else None
            self.out.put(self.row, col, str(value) if bold else value, to_col=col + span - 1, bold=bold, align=LEFT,
                         fmt=fmt)  # fmt: skip
            col += span


def _joined(*values) -> str:
    return " · ".join(str(value) for value in values if value)


def supplier_file_workbook(supplier, *, names: dict) -> Workbook:
    """The supplier's file as a printable sheet; `supplier` comes from selectors.with_file()."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Supplier file"))[:31]
    out = PaperForm(sheet, WIDTHS)
    out.title(1, f"{_('Supplier file')} · {supplier.name}", label=supplier.code or f"#{supplier.pk}")
    page = _Sheet(out)

    page.heading(_("Details"))
    details = [
        (_("Company name"), supplier.name),
        (_("Unified social credit code"), supplier.credit_code),
        (_("Legal representative"), supplier.legal_representative),
        (_("Address"), supplier.address),
        (_("Contact person"), _joined(supplier.contact_name, supplier.contact_phone, supplier.contact_email)),
        (_("Goods or services offered"), supplier.goods),
        (_("Source"), _joined(supplier.get_source_display(), supplier.source_note)),
        (_("Stage"), supplier.get_stage_display()),
        (_("Registered"), f"{local_text(supplier.registered_at)} {supplier.registered_by.display_name}"),
        (_("Earlier file"), f"#{supplier.previous.pk} {supplier.previous.name}" if supplier.previous else ""),
        (_("Supplier code"), supplier.code),
        (_("Payment terms"), supplier.payment_terms),
        (_("Activated"), local_text(supplier.activated_at)),
    ]
    if supplier.suspended_at:
        details.append((_("Suspended"), f"{local_text(supplier.suspended_at)} {supplier.suspension_reason}"))
    if supplier.stage == Stage.REJECTED:
        details.append((_("Rejected"), f"{local_text(supplier.rejected_at)} {supplier.rejected_reason}"))
    for label, value in details:
        page.line(label, value)

    page.heading(_("Stage history"))
    page.table(
        [_("No."), _("When"), _("By"), _("From"), _("To"), _("Note")],
        [
            [number, local_text(step.at), step.user.display_name if step.user else "", step.get_from_stage_display(),
             step.get_to_stage_display(), step.note]
            for number, step in enumerate(supplier.steps.all(), start=1)
        ],
    )  # fmt: skip

    documents = list(supplier.documents.all())
    page.heading(_("General survey: documents and versions"))
    rows = []
    for kind in (*SURVEY_DOCUMENTS, *CONTRACTS):
        for document in (d for d in documents if d.kind == kind):
            rows.append([
                f"v{document.version}", DocumentKind(kind).label, document.original_name,
                local_text(document.uploaded_at), document.uploaded_by.display_name,
                document.signed_on.isoformat() if document.signed_on else "",
            ])  # fmt: skip
    page.table([_("Version"), _("Document"), _("File name"), _("Uploaded at"), _("Uploaded by"), _("Signed on")], rows)

    page.heading(_("General survey: notes"))
    page.line(_("Interview with the candidate's manager"), supplier.interview_notes, height=48)
    page.line(_("Technical meeting"), supplier.technical_meeting_notes, height=48)

    page.heading(_("Selection principles"))
    scores = {score.principle: score for score in supplier.scores.all()}
    page.table(
        [_("No."), _("Principle"), _("Result"), _("Note"), _("Scored by")],
        [
            [number, label, scores[number].get_result_display() if number in scores else "",
             scores[number].note if number in scores else "",
             f"{scores[number].scored_by.display_name} {local_text(scores[number].scored_at)}" if number in scores
             else ""]
            for number, label in Principle.choices
        ],
        spans=[1, 2, 1, 1, 1],
    )  # fmt: skip

    page.heading(_("On-site survey findings"))
    findings = {finding.department.code: finding for finding in supplier.findings.all()}
    page.table(
        [_("Department"), pgettext("on-site survey", "Findings"), _("Score"), _("Signed by"), _("Signed at")],
        [
            [names.get(code, code), findings[code].findings if code in findings else _("not signed yet"),
             f"{findings[code].score}/5" if code in findings else "",
             findings[code].signed_by.display_name if code in findings else "",
             local_text(findings[code].signed_at) if code in findings else ""]
            for code in survey_department_codes()
        ],
        spans=[1, 2, 1, 1, 1],
    )  # fmt: skip

    page.heading(_("Approval application"))
    page.line(_("Reasons for trading"), supplier.trading_reasons, height=48)
    page.line(_("Basic trading policy"), supplier.trading_policy, height=48)
    page.table(
        [_("No."), _("Goods"), _("Expected amount per year (CNY)")],
        [[number, line.item, line.expected_amount] for number, line in enumerate(supplier.goods_lines.all(), 1)],
        spans=[1, 3, 2],
    )
    submitted = supplier.application_submitted_by
    page.line(_("Submitted"), f"{local_text(supplier.application_submitted_at)} {submitted.display_name}"
              if submitted else "")  # fmt: skip
    page.line(
        _("Decision"),
        f"{local_text(supplier.decided_at)} {supplier.decided_by.display_name}: {supplier.decision_comment}"
        if supplier.decided_by
        else "",
    )

    out.finish(page.row, title_rows="1:2")
    return workbook


def supplier_file_response(supplier, *, user, names: dict) -> FileResponse:
    """The download, logged like every export (CUS-07)."""
    buffer = io.BytesIO()
    supplier_file_workbook(supplier, names=names).save(buffer)
    buffer.seek(0)
    ExportLog.objects.create(user=user, name="supplier-file", query=f"supplier={supplier.pk}", row_count=1)
    label = supplier.code or f"{supplier.pk}"
    filename = f"supplier-file-{label}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=filename)
