"""The complaint report (CMP-05): by category, department, root cause and month, with repeat
complaints highlighted, and its Excel export."""

import tempfile

from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from crm_project.core.db_router import reads_from_replica
from crm_project.core.models import ExportLog

from ..forms import ReportPeriodForm
from ..permissions import can_view_report
from ..reports import REPEATS_SHOWN, complaint_report, default_period, write_report_xlsx
from ..selectors import complaint_visible_to, repeat_window


def _next_month(day):
    return day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(month=day.month + 1)


@reads_from_replica()
def complaint_report_view(request):
    if not can_view_report(request.user):
        return render(request, "403.html", status=403)
    start, end = default_period()
    form = ReportPeriodForm(request.GET or None, initial={"start": start, "end": _previous_day(end).replace(day=1)})
    if form.is_bound and form.is_valid():
        if form.cleaned_data.get("start"):
            start = form.cleaned_data["start"].replace(day=1)
        if form.cleaned_data.get("end"):
            end = _next_month(form.cleaned_data["end"].replace(day=1))
    report = complaint_report(complaint_visible_to(request.user), start=start, end=end)
    if request.GET.get("export") == "xlsx":
        spool = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed, and so removed, by the response)
        write_report_xlsx(report, spool)
        spool.seek(0)
        query = request.GET.copy()
        query.pop("export", None)
        ExportLog.objects.create(user=request.user, name="complaint-report", query=query.urlencode(),
                                 row_count=report.total)  # fmt: skip
        filename = f"complaint-report-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(spool, as_attachment=True, filename=filename)
    return render(
        request,
        "complaints/report.html",
        {
            "form": form,
            "report": report,
            "last_month": _previous_day(end),
            "repeats": report.repeats[:REPEATS_SHOWN],
            "repeat_days": repeat_window().days,
        },
    )


def _previous_day(day):
    return day.fromordinal(day.toordinal() - 1)


urlpatterns = [path("report/", complaint_report_view, name="complaint_report")]
