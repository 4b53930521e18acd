"""The complaint report (CMP-05): counts by category, department, root cause and month, with
repeat complaints highlighted. SQL aggregation over the user's visible complaints — a fixed
number of queries whatever their number — and an Excel workbook of the same figures."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower, Trim, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill

from crm_project.core.exports import _cell, excel_value, print_setup
from crm_project.workdays.calendar import local_zone

from .models import Complaint, ComplaintCategory, ComplaintStatus
from .selectors import with_flags

REPEATS_SHOWN = 200


@dataclass
class Row:
    label: str
    count: int
    open: int
    average_satisfaction: float | None
    average_days: float | None  # received → closed, closed ones only
    share: float = 0.0  # of the period's total, in percent


@dataclass
class Report:
    start: date
    end: date  # exclusive
    total: int
    by_category: list[Row] = field(default_factory=list)
    by_department: list[Row] = field(default_factory=list)
    by_cause: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    repeats: list[Complaint] = field(default_factory=list)
    repeat_count: int = 0

    @property
    def groupings(self) -> list[tuple[str, str, list[Row]]]:
        return [
            ("category", _("By category"), self.by_category),
            ("department", _("By department"), self.by_department),
            ("cause", _("By root cause"), self.by_cause),
            ("month", _("By month"), self.by_month),
        ]


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included: [start, end)."""
    today = today or timezone.localdate()
    end = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return end.replace(year=end.year - 1), end


def _aware(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


def _figures(queryset: QuerySet, *keys) -> list[dict]:
    resolution = ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())
    return list(
        queryset.values(*keys)
        .annotate(
            count=Count("id"),
            open=Count("id", filter=~Q(status=ComplaintStatus.CLOSED)),
            average_satisfaction=Avg("satisfaction"),
            average_resolution=Avg(resolution, filter=Q(status=ComplaintStatus.CLOSED)),
        )
        .order_by(*keys)
    )


def _row(label: str, figures: dict, total: int) -> Row:
    resolution = figures["average_resolution"]
    satisfaction = figures["average_satisfaction"]
    return Row(
        label=label,
        count=figures["count"],
        open=figures["open"],
        average_satisfaction=round(float(satisfaction), 1) if satisfaction is not None else None,
        average_days=round(resolution.total_seconds() / 86400, 1) if resolution is not None else None,
        share=round(100 * figures["count"] / total, 1) if total else 0.0,
    )


def complaint_report(queryset: QuerySet[Complaint], *, start: date, end: date) -> Report:
    """`queryset` is already the user's visible complaints (ORG-02). Six queries."""
    period = queryset.filter(received_at__gte=_aware(start), received_at__lt=_aware(end))
    by_category = _figures(period, "category")
    total = sum(row["count"] for row in by_category)
    report = Report(start=start, end=end, total=total)
    categories = dict(ComplaintCategory.choices)
    report.by_category = sorted(
        (_row(str(categories.get(row["category"], _("unclassified"))), row, total) for row in by_category),
        key=lambda row: -row.count,
    )
    chinese = (get_language() or "").startswith("zh")
    name_field = "department__name_zh" if chinese else "department__name_en"
    report.by_department = sorted(
        (
            _row(row[name_field] or _("not assigned"), row, total)
            for row in _figures(period, "department_id", name_field)
        ),
        key=lambda row: -row.count,
    )
    # Causes are free text: grouped by the exact text, trimmed and lower-cased.
    causes = _figures(period.annotate(cause=Lower(Trim("root_cause"))), "cause")
    report.by_cause = [
        _row(row["cause"] or _("not recorded yet"), row, total)
        for row in sorted(causes, key=lambda row: (not row["cause"], -row["count"], row["cause"]))
    ]
    months = period.annotate(month=TruncMonth("received_at", tzinfo=local_zone()))
    report.by_month = [_row(row["month"].strftime("%Y-%m"), row, total) for row in _figures(months, "month")]
    previous = Complaint.objects.filter(
        customer_id=OuterRef("customer_id"), category=OuterRef("category"), received_at__lt=OuterRef("received_at")
    ).order_by("-received_at")
    repeats = (
        with_flags(period)
        .filter(is_repeat=True)
        .annotate(
            previous_reference=Subquery(previous.values("reference")[:1]),
            previous_received_at=Subquery(previous.values("received_at")[:1]),
        )
        .select_related("customer", "department")
        .order_by("customer__name", "category", "received_at")
    )
    report.repeats = list(repeats)
    report.repeat_count = len(report.repeats)
    return report


# --- Excel ---------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_REPEAT_FILL = PatternFill("solid", fgColor="FFF3CD")


def _header(sheet, labels) -> None:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=excel_value(label))
        cell.font = _HEADER_FONT
        cells.append(cell)
    sheet.append(cells)


def write_report_xlsx(report: Report, target) -> None:
    """One sheet per grouping and one with the repeat complaints (CMP-05)."""
    workbook = Workbook(write_only=True)
    columns = [
        _("Complaints"),
        pgettext("complaints not closed", "Open"),
        _("Share %"),
        _("Average satisfaction"),
        _("Average days to close"),
    ]
    for _key, title, rows in report.groupings:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.column_dimensions["A"].width = 32
        print_setup(sheet, title_rows="1:1")
        _header(sheet, [title, *columns])
        for row in rows:
            sheet.append(
                [
                    _cell(sheet, value)
                    for value in (row.label, row.count, row.open, row.share, row.average_satisfaction, row.average_days)
                ]
            )
        sheet.append([_("Total"), report.total])
    sheet = workbook.create_sheet(title=str(_("Repeat complaints"))[:31])
    print_setup(sheet, title_rows="1:1")
    _header(
        sheet,
        [_("Reference"), _("Customer"), _("Category"), _("Received"), _("Previous complaint"), _("Previous received"),
         _("Department"), _("Status")],
    )  # fmt: skip
    for complaint in report.repeats:
        values = [
            complaint.reference,
            complaint.customer.name if complaint.customer_id else "",
            complaint.get_category_display(),
            complaint.received_at,
            complaint.previous_reference,
            complaint.previous_received_at,
            complaint.department.name if complaint.department_id else "",
            complaint.get_status_display(),
        ]
        cells = []
        for value in values:
            written = _cell(sheet, value)
            cell = written if isinstance(written, Cell) else WriteOnlyCell(sheet, value=written)
            cell.fill = _REPEAT_FILL
            cells.append(cell)
        sheet.append(cells)
    workbook.save(target)
