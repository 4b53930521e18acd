"""Excel imports (CUS-12): my imports, upload, the preview of bad rows with "import the good
rows" or cancel, progress for large files, and the templates to fill in."""

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError
from crm_project.core.exports import excel_value
from crm_project.core.files import visible_file_response
from crm_project.core.listing import FilteredListView

from ..forms_purchases import ImportUploadForm
from ..importers import importer_for
from ..importers.template_files import template_workbook
from ..models import ImportBatch, ImportKind, ImportStatus
from ..services.imports import ACTIVE, import_cancel, import_confirm, import_progress, import_upload

ERRORS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kinds_for(user) -> list[tuple[str, str]]:
    return [(kind, label) for kind, label in ImportKind.choices if importer_for(kind).may_import(user)]


class ImportListView(FilteredListView):
    """The user's own imports (an ImportBatch is visible only to its uploader)."""

    template_name = "customers/import_list.html"
    sort_options = {
        "uploaded": (gettext_lazy("Uploaded"), "uploaded_at"),
        "name": (gettext_lazy("File name"), "original_name"),
    }
    default_sort = "-uploaded"

    def base_queryset(self):
        return visible_to(self.request.user, ImportBatch.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["import_kinds"] = _kinds_for(self.request.user)
        return context


def import_create(request):
    kinds = _kinds_for(request.user)
    if not kinds:
        return render(request, "403.html", status=403)
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    form.fields["kind"].choices = kinds
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_upload(
                actor=request.user, kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return HttpResponseRedirect(reverse("customers:import_detail", args=[batch.pk]))
    return render(request, "customers/import_form.html", {"form": form, "import_kinds": kinds})


def _batch_for(request, pk: int) -> ImportBatch:
    return get_object_or_404(visible_to(request.user, ImportBatch.objects.all()), pk=pk)


def import_detail(request, pk: int):
    batch = _batch_for(request, pk)
    page = Paginator(batch.errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    bad_rows = len({entry.get("row") for entry in batch.errors or [] if entry.get("row")})
    return render(
        request,
        "customers/import_detail.html",
        {
            "batch": batch,
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "bad_rows": bad_rows,
            "file_errors": [entry for entry in batch.errors or [] if not entry.get("row")],
            "processed": import_progress(batch),
            "in_progress": batch.status in ACTIVE,
        },
    )


def import_progress_view(request, pk: int):
    """The progress bar, polled by htmx; once the step is over the page reloads itself."""
    batch = _batch_for(request, pk)
    response = render(
        request,
        "customers/import_progress.html",
        {"batch": batch, "processed": import_progress(batch), "in_progress": batch.status in ACTIVE},
    )
    if batch.status not in ACTIVE:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_confirm_view(request, pk: int):
    batch = _batch_for(request, pk)
    try:
        batch = import_confirm(actor=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if batch.status == ImportStatus.DONE:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated.")
                % {"created": batch.created_count, "updated": batch.updated_count},
            )
        elif batch.status == ImportStatus.IMPORTING:
            messages.info(request, _("Importing in the background; you will be notified when it is done."))
        else:
            messages.error(request, batch.failure or _("The import failed."))
    return HttpResponseRedirect(reverse("customers:import_detail", args=[batch.pk]))


@require_POST
def import_cancel_view(request, pk: int):
    batch = _batch_for(request, pk)
    try:
        import_cancel(actor=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Import cancelled; nothing was imported."))
    return HttpResponseRedirect(reverse("customers:import_list"))


def import_template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    if not importer_for(kind).may_import(request.user):
        return render(request, "403.html", status=403)
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{kind}-template.xlsx"'
    return response


def import_file(request, pk: int):
    """The uploaded workbook, to its uploader only, under the name it was uploaded with."""
    return visible_file_response(
        request.user, ImportBatch.objects.all(), pk=pk, field="file", name_field="original_name"
    )


def import_errors(request, pk: int):
    """The bad rows as an Excel file, to fix them and upload again."""
    batch = _batch_for(request, pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="errors")
    sheet.append([_("Row"), _("Column"), _("Problem")])
    for entry in batch.errors or []:
        sheet.append([excel_value(entry.get(key)) for key in ("row", "column", "message")])
    spool = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed, and so removed, by the response)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"import-{batch.pk}-errors.xlsx", content_type=XLSX)


urlpatterns = [
    path("imports/", ImportListView.as_view(), name="import_list"),
    path("imports/new/", import_create, name="import_create"),
    path("imports/template/<slug:kind>.xlsx", import_template, name="import_template"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_progress_view, name="import_progress"),
    path("imports/<int:pk>/errors.xlsx", import_errors, name="import_errors"),
    path("imports/<int:pk>/file/", import_file, name="import_file"),
    path("imports/<int:pk>/confirm/", import_confirm_view, name="import_confirm"),
    path("imports/<int:pk>/cancel/", import_cancel_view, name="import_cancel"),
]
