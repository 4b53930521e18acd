"""A supplier's documents and contracts, each upload a new version (SUP-03, SUP-06, SUP-07).

The file's type is read from its content (crm_project/core/uploads.py); it is stored through
Django's storage API under a name nobody can guess, and handed out only by a view that checks
access. The version number is taken under the supplier's row lock, so two uploads of the same
kind at once get versions n and n+1.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError
from crm_project.core.files import display_name
from crm_project.core.uploads import check_document

from ..models import DocumentKind, Stage, Supplier, SupplierDocument
from ..models.documents import CONTRACTS, SURVEY_DOCUMENTS
from ..permissions import can_run_file
from .common import locked, require, require_stage

DOCUMENT_STAGES = (
    Stage.CANDIDATE, Stage.GENERAL_SURVEY, Stage.ONSITE_SURVEY, Stage.APPROVAL, Stage.APPROVED, Stage.CONTRACTED,
)  # fmt: skip
CONTRACT_STAGES = (Stage.APPROVED, Stage.CONTRACTED)
# The contract kinds by the API's short names.
CONTRACT_KINDS = {"supply": DocumentKind.SUPPLY_CONTRACT, "quality": DocumentKind.QUALITY_CONTRACT}


def _store(*, actor: User, supplier: Supplier, kind: str, uploaded, signed_on: date | None) -> SupplierDocument:
    file_kind = check_document(uploaded, max_mb=settings.SUPPLIER_DOCUMENT_MAX_MB)
    last = SupplierDocument.objects.filter(supplier=supplier, kind=kind).aggregate(last=Max("version"))["last"]
    document = SupplierDocument(
        supplier=supplier,
        kind=kind,
        version=(last or 0) + 1,
        original_name=display_name(uploaded.name, fallback=f"{kind}.{file_kind.extension}"),
        content_type=file_kind.content_type,
        size=uploaded.size,
        signed_on=signed_on,
        uploaded_by=actor,
    )
    uploaded.seek(0)
    document.file.save(f"{kind}.{file_kind.extension}", uploaded, save=False)
    document.save()
    return document


def supplier_upload_document(*, actor: User, supplier: Supplier, kind: str, file) -> SupplierDocument:
    """SUP-03: one of the five survey documents; a kind uploaded before gets a new version."""
    if kind not in SURVEY_DOCUMENTS:
        raise DomainError(
            _("Choose which document this is: %(kinds)s.") % {"kinds": ", ".join(SURVEY_DOCUMENTS)}, field="kind"
        )
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_run_file(actor), _("Only procurement uploads a supplier's documents."))
        require_stage(supplier, DOCUMENT_STAGES, _("Uploading documents"))
        return _store(actor=actor, supplier=supplier, kind=kind, uploaded=file, signed_on=None)


def supplier_upload_contract(*, actor: User, supplier: Supplier, kind: str, signed_on, file) -> SupplierDocument:
    """SUP-06: the scan of the signed supply or quality-assurance contract with the day it was
    signed. Both are signed on the same day: a first contract dated differently from the other
    one is refused; a new version may correct a date, and moving on checks the two agree."""
    kind = CONTRACT_KINDS.get(kind, kind)
    if kind not in CONTRACTS:
        raise DomainError(_("Choose the supply or the quality-assurance contract."), field="kind")
    if not isinstance(signed_on, date):
        raise DomainError(_("Give the day the contract was signed."), field="signed_on")
    if signed_on > timezone.localdate():
        raise DomainError(_("A contract cannot be signed in the future."), field="signed_on")
    with transaction.atomic():
        supplier = locked(supplier)
        require(can_run_file(actor), _("Only procurement uploads the signed contracts."))
        require_stage(supplier, CONTRACT_STAGES, _("Uploading the signed contracts"))
        if supplier.decided_at and signed_on < timezone.localdate(supplier.decided_at):
            raise DomainError(
                _("The contracts are signed after the approval of %(day)s.")
                % {"day": timezone.localdate(supplier.decided_at).isoformat()},
                field="signed_on",
            )
        other_kind = next(other for other in CONTRACTS if other != kind)
        other = SupplierDocument.objects.filter(supplier=supplier, kind=other_kind).order_by("-version").first()
        first_of_kind = not SupplierDocument.objects.filter(supplier=supplier, kind=kind).exists()
        if other is not None and first_of_kind and other.signed_on != signed_on:
            raise DomainError(
                _(
                    "The %(other)s was signed on %(day)s. Both contracts are signed on the same day by our "
                    "procurement head and the supplier's legal representative."
                )
                % {"other": DocumentKind(other_kind).label, "day": other.signed_on.isoformat()},
                field="signed_on",
            )
        return _store(actor=actor, supplier=supplier, kind=kind, uploaded=file, signed_on=signed_on)
