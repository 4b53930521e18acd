"""The shape every supplier step shares: the row locked, the save with who and why for the
audit history (ORG-03), the step on the timeline (SUP-02), notifications after commit."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify

from ..models import Stage, Supplier, SupplierStep


def locked(supplier: Supplier) -> Supplier:
    return Supplier.objects.select_for_update(of=("self",)).get(pk=supplier.pk)


def save(supplier: Supplier, actor, fields: list[str], reason: str) -> None:
    supplier._history_user = actor
    supplier._change_reason = reason
    supplier.save(update_fields=sorted(set(fields)))


def record_step(supplier: Supplier, *, actor, action: str, from_stage: str, note: str = "") -> SupplierStep:
    return SupplierStep.objects.create(
        supplier=supplier, action=action, from_stage=from_stage, to_stage=supplier.stage, user=actor, note=note
    )


def supplier_url(supplier: Supplier) -> str:
    return reverse("suppliers:supplier_detail", args=[supplier.pk])


def require(allowed: bool, message: str) -> None:
    """A role that may never do this step: 403 in the API."""
    if not allowed:
        raise PermissionDenied(message)


def require_open(supplier: Supplier) -> None:
    """SUP-07: an active supplier's file is archived, a rejected one closed; both read-only."""
    if supplier.stage == Stage.ACTIVE:
        raise DomainError(_("The supplier is active and its file archived: it can no longer be changed."))
    if supplier.stage == Stage.REJECTED:
        raise DomainError(
            _("The supplier was rejected; its file is closed. Register the company again as a new candidate.")
        )


def require_stage(supplier: Supplier, stages, what: str) -> None:
    """`what` can be done only in `stages`; the message says which stage the file is in."""
    require_open(supplier)
    if supplier.stage not in stages:
        raise DomainError(
            _("%(what)s belongs to the %(stages)s stage; this supplier is at the %(stage)s stage.")
            % {
                "what": what,
                "stages": _(" or ").join(str(Stage(stage).label) for stage in stages),
                "stage": Stage(supplier.stage).label,
            }
        )


def notify_on_commit(recipients, *, key: str, supplier: Supplier, title, body="", params=None) -> None:
    """Tell each active recipient once per `key` (the recipient's id is added to it)."""
    url = supplier_url(supplier)
    people = [person for person in recipients if person is not None and person.is_active]
    base = {"supplier": supplier.name, "code": supplier.code or ""}
    merged = {**base, **(params or {})}

    def send():
        for person in people:
            notify(
                recipient=person, key=f"{key}:{person.pk}", kind="supplier", title=title, body=body,
                params=merged, url=url,
            )  # fmt: skip

    transaction.on_commit(send)
