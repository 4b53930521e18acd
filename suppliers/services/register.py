"""Registering a candidate and keeping its details (SUP-02): the credit code checked, a company
registered only once while its file is open, a rejected company registered again as a new
candidate linked to its old file."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError

from ..identity import credit_code_problem, name_key, normalise_credit_code
from ..models import Source, Stage, Supplier
from ..permissions import can_register, can_run_file
from .common import locked, record_step, require, require_open, require_stage, save

DETAIL_FIELDS = (
    "name", "credit_code", "legal_representative", "address", "contact_name", "contact_phone", "contact_email",
    "goods", "source", "source_note",
)  # fmt: skip
REQUIRED = {
    "name": gettext_lazy("Give the company's name."),
    "legal_representative": gettext_lazy("Give the legal representative's name."),
    "goods": gettext_lazy("Say which goods or services the candidate offers."),
}
LIMITS = {
    "name": 200, "credit_code": 40, "legal_representative": 100, "address": 300, "contact_name": 100,
    "contact_phone": 40, "contact_email": 254, "source_note": 200, "goods": 5000,
}  # fmt: skip
_CODE_PROBLEMS = {
    "length": gettext_lazy("A unified social credit code has 18 characters; this one has %(n)d."),
    "characters": gettext_lazy(
        "A unified social credit code uses only digits and the capital letters other than I, O, S, V and Z."
    ),
    "check": gettext_lazy(
        "The last character of this credit code does not match its check digit: check the code for a typo."
    ),
}


class DuplicateSupplier(DomainError):
    """The company already has an open or active file; `existing` is that file."""

    def __init__(self, message: str, *, existing: Supplier, field: str):
        super().__init__(message, field=field)
        self.existing = existing


def _clean(values: dict) -> dict:
    cleaned = {}
    for field in DETAIL_FIELDS:
        if field not in values:
            continue
        value = values[field]
        value = "" if value is None else str(value).strip()
        if len(value) > LIMITS.get(field, 200):
            raise DomainError(_("Too long: at most %(n)d characters.") % {"n": LIMITS[field]}, field=field)
        cleaned[field] = value
    if "credit_code" in cleaned:
        code = normalise_credit_code(cleaned["credit_code"])
        if not code:
            raise DomainError(_("Give the unified social credit code (统一社会信用代码)."), field="credit_code")
        problem = credit_code_problem(code)
        if problem:
            raise DomainError(_CODE_PROBLEMS[problem] % {"n": len(code)}, field="credit_code")
        cleaned["credit_code"] = code
    for field, message in REQUIRED.items():
        if field in cleaned and not cleaned[field]:
            raise DomainError(message, field=field)
    if cleaned.get("source", Source.OTHER) not in Source.values:
        raise DomainError(_("Unknown source."), field="source")
    if "name" in cleaned and not name_key(cleaned["name"]):
        raise DomainError(_("Give the company's name."), field="name")
    return cleaned


def _live_duplicate(*, credit_code: str, key: str, exclude_pk=None) -> DuplicateSupplier | None:
    live = Supplier.objects.exclude(stage=Stage.REJECTED).exclude(pk=exclude_pk)
    same_code = live.filter(credit_code=credit_code).first()
    if same_code is not None:
        return DuplicateSupplier(
            _("A company with credit code %(code)s is already registered: %(name)s (%(stage)s).")
            % {"code": credit_code, "name": same_code.name, "stage": same_code.get_stage_display()},
            existing=same_code,
            field="credit_code",
        )
    same_name = live.filter(name_key=key).first()
    if same_name is not None:
        return DuplicateSupplier(
            _("This company is already registered as %(name)s (%(stage)s).")
            % {"name": same_name.name, "stage": same_name.get_stage_display()},
            existing=same_name,
            field="name",
        )
    return None


def supplier_register(*, actor: User, **values) -> Supplier:
    """SUP-02: a new candidate. The same company (credit code or normalised name) with an
    open or active file is refused with that file; a rejected one becomes the earlier file."""
    require(can_register(actor), _("Only procurement registers supplier candidates."))
    cleaned = _clean({field: values.get(field, "") for field in DETAIL_FIELDS})
    cleaned["source"] = cleaned.get("source") or Source.OTHER
    key = name_key(cleaned["name"])
    duplicate = _live_duplicate(credit_code=cleaned["credit_code"], key=key)
    if duplicate:
        raise duplicate
    previous = (
        Supplier.objects.filter(stage=Stage.REJECTED)
        .filter(Q(credit_code=cleaned["credit_code"]) | Q(name_key=key))
        .order_by("-rejected_at", "-pk")
        .first()
    )
    supplier = Supplier(**cleaned, name_key=key, registered_at=timezone.now(), registered_by=actor, previous=previous)
    supplier._history_user = actor
    try:
        with transaction.atomic():
            supplier.save()
            note = _("Registered again after the rejection of file #%(id)d.") % {"id": previous.pk} if previous else ""
            record_step(supplier, actor=actor, action="register", from_stage="", note=note)
    except IntegrityError:
        # Someone registered the same company a moment ago (the unique indexes decided).
        raise _live_duplicate(credit_code=cleaned["credit_code"], key=key) or DomainError(
            _("This company was registered at the same moment by someone else.")
        ) from None
    return supplier


# Notes and application fields, and the stages in which they may be filled (SUP-03, SUP-05).
GENERAL_SURVEY_STAGES = (Stage.CANDIDATE, Stage.GENERAL_SURVEY)
APPLICATION_STAGES = (Stage.CANDIDATE, Stage.GENERAL_SURVEY, Stage.ONSITE_SURVEY)
NOTE_FIELDS = {
    "interview_notes": GENERAL_SURVEY_STAGES,
    "technical_meeting_notes": GENERAL_SURVEY_STAGES,
    "trading_reasons": APPLICATION_STAGES,
    "trading_policy": APPLICATION_STAGES,
}
NOTE_MAX = 10_000


def supplier_update(*, actor: User, supplier: Supplier, **values) -> Supplier:
    """Change the candidate's details and fill the notes, each in the stage it belongs to.
    Fields not given are left as they are."""
    require(can_run_file(actor), _("Only procurement keeps a supplier's file."))
    details = _clean({field: values[field] for field in DETAIL_FIELDS if field in values})
    notes = {}
    for field in NOTE_FIELDS:
        if field in values:
            text = "" if values[field] is None else str(values[field]).strip()
            if len(text) > NOTE_MAX:
                raise DomainError(_("Too long: at most %(n)d characters.") % {"n": NOTE_MAX}, field=field)
            notes[field] = text
    with transaction.atomic():
        supplier = locked(supplier)
        require_open(supplier)
        for field, text in notes.items():
            if text != getattr(supplier, field):
                label = Supplier._meta.get_field(field).verbose_name
                require_stage(supplier, NOTE_FIELDS[field], _("The %(what)s") % {"what": label})
        changed = [field for field, value in {**details, **notes}.items() if getattr(supplier, field) != value]
        if not changed:
            return supplier
        if "name" in details or "credit_code" in details:
            key = name_key(details.get("name", supplier.name))
            code = details.get("credit_code", supplier.credit_code)
            duplicate = _live_duplicate(credit_code=code, key=key, exclude_pk=supplier.pk)
            if duplicate:
                raise duplicate
            supplier.name_key = key
            changed.append("name_key")
        for field in changed:
            if field != "name_key":
                setattr(supplier, field, {**details, **notes}[field])
        try:
            with transaction.atomic():
                save(supplier, actor, changed, _("Details changed"))
        except IntegrityError:
            raise DomainError(_("This company was registered at the same moment by someone else.")) from None
    return supplier
