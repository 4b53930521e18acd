"""The fee schedule (TEN-10): operations keeps its items; amounts in CNY to the fen, never
negative; an item is valid from a day, until a day or open-ended (valid_to ≥ valid_from)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError

from ..models import FeeScheduleItem
from ..permissions_meetings import can_edit_fees
from .common import require, save
from .requests import _text

AMOUNT_MAX = Decimal("9999999999.99")
FIELDS = ["kind", "name", "name_zh", "unit", "amount", "valid_from", "valid_to", "notes"]


def _clean(values: dict) -> dict:
    kind = values.get("kind")
    if kind not in FeeScheduleItem.Kind.values:
        raise DomainError(
            _("Choose the kind: service fee, collected on behalf of others or paid service."), field="kind"
        )
    try:
        amount = Decimal(values.get("amount"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter the amount in CNY."), field="amount") from None
    if not amount.is_finite() or amount < 0 or amount > AMOUNT_MAX:
        raise DomainError(_("The amount is a sum in CNY, zero or more."), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("The amount goes to the fen (two decimals) at most."), field="amount")
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    if not isinstance(valid_from, date):
        raise DomainError(_("Say from when the fee is valid."), field="valid_from")
    if valid_to is not None and (not isinstance(valid_to, date) or valid_to < valid_from):
        raise DomainError(_("A fee is valid until a day on or after the day it is valid from."), field="valid_to")
    return {
        "kind": kind,
        "name": _text(values.get("name"), field="name", label=_("the name"), limit=200),
        "name_zh": _text(values.get("name_zh"), field="name_zh", label=_("the name in Chinese"), limit=200),
        "unit": _text(values.get("unit"), field="unit", label=_("the unit"), limit=60),
        "amount": amount,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "notes": _text(values.get("notes"), field="notes", label=_("the notes"), required=False, limit=2000),
    }


def fee_item_create(*, actor, **values) -> FeeScheduleItem:
    require(can_edit_fees(actor), _("Only operations keeps the fee schedule."))
    item = FeeScheduleItem(**_clean(values))
    item._history_user = actor
    item.save()
    return item


def fee_item_update(*, actor, item: FeeScheduleItem, **values) -> FeeScheduleItem:
    require(can_edit_fees(actor), _("Only operations keeps the fee schedule."))
    cleaned = _clean(values)
    with transaction.atomic():
        item = FeeScheduleItem.objects.select_for_update().get(pk=item.pk)
        for name, value in cleaned.items():
            setattr(item, name, value)
        save(item, actor, FIELDS)
    return item
