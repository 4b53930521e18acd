"""A supplier's files: every version of every document, handed out only through its record
when the supplier is visible to the user (SUP-07, ORG-02), and the supplier's whole file as
one printable workbook."""

from django.urls import path

from crm_project.core.files import visible_file_response

from ..exports import supplier_file_response
from ..models import SupplierDocument
from .file_page import department_names, supplier_for


def document_download(request, pk: int):
    """404 for anyone who may not see the supplier, or for a file that is not there."""
    return visible_file_response(
        request.user, SupplierDocument.objects.all(), pk=pk, field="file", name_field="original_name"
    )


def supplier_file_export(request, pk: int):
    """SUP-07: the Excel/printable supplier file, for whoever may see the supplier."""
    supplier = supplier_for(request, pk)
    return supplier_file_response(supplier, user=request.user, names=department_names())


urlpatterns = [
    path("documents/<int:pk>/", document_download, name="document_download"),
    path("<int:pk>/export/", supplier_file_export, name="supplier_file_export"),
]
