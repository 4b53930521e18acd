"""Fee standards per product (EXP-02): tiers valid from the first of a month; a change is a
new standard, so months on submitted statements keep theirs."""

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.workdays.calendar import add_months
from customers.models import Product
from customers.services.purchase_freeze import lock_purchase_months

from ..models import FeeStandard, FeeTier, StatementLine
from .corrections import FREEZING
from .fees import Tier


def _validate_tiers(tiers: list[dict]) -> list[Tier]:
    if not tiers:
        raise DomainError(_("A standard needs at least one tier."), field="tiers")
    parsed = []
    for index, raw in enumerate(tiers, start=1):
        try:
            low = int(raw["min_quantity"])
            high = None if raw.get("max_quantity") in (None, "") else int(raw["max_quantity"])
            fee = Decimal(str(raw["fee_per_unit"]))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise DomainError(
                _("Tier %(n)d: give whole-number quantities and a fee per unit.") % {"n": index}, field="tiers"
            ) from None
        if low < 1 or (high is not None and high < low):
            raise DomainError(_("Tier %(n)d: the quantities are out of order.") % {"n": index}, field="tiers")
        if fee < 0 or fee != fee.quantize(Decimal("0.01")):
            raise DomainError(_("Tier %(n)d: the fee must be a positive amount in yuan and fen.") % {"n": index},
                              field="tiers")  # fmt: skip
        parsed.append(Tier(low, high, fee))
    parsed.sort(key=lambda tier: tier.min_quantity)
    for previous, current in pairwise(parsed):
        if previous.max_quantity is None or current.min_quantity != previous.max_quantity + 1:
            raise DomainError(
                _("The tiers must follow each other without gaps or overlaps (e.g. 1–4, 5–9, 10–20, 21–)."),
                field="tiers",
            )
    return parsed


def _submitted_month_using(product: Product, valid_from: date) -> StatementLine | None:
    """The latest purchase month from `valid_from` on — up to the product's next standard —
    that is on a submitted or signed statement with this product (the standard would reach it)."""
    lines = StatementLine.objects.filter(
        product=product, purchase_month__gte=valid_from, statement__status__in=FREEZING
    )
    later = FeeStandard.objects.filter(product=product, valid_from__gt=valid_from).order_by("valid_from").first()
    if later is not None:
        lines = lines.filter(purchase_month__lt=later.valid_from)
    return lines.select_related("statement__rep").order_by("-purchase_month", "-statement__month").first()


def fee_standard_create(*, actor: User, product: Product, valid_from: date, tiers: list[dict]) -> FeeStandard:
    """Finance sets a product's standard from the first of a month (EXP-02). It may start in
    a past month — a new product's standard for last month is normal at the start of a month
    — unless a month it would reach is on a submitted or signed statement with the product:
    those months keep the standard they were computed with."""
    if not (actor.is_superuser or actor.has_role(Role.FINANCE)):
        raise PermissionDenied(_("Only finance sets fee standards."))
    if valid_from.day != 1:
        raise DomainError(_("A standard starts on the first day of a month."), field="valid_from")
    parsed = _validate_tiers(tiers)
    this_month = timezone.localdate().replace(day=1)
    try:
        with transaction.atomic():
            # No statement may be submitted between the check and the write (statements.py).
            lock_purchase_months()
            line = _submitted_month_using(product, valid_from) if valid_from < this_month else None
            if line is not None:
                raise DomainError(
                    _(
                        "%(product)s is on %(rep)s's statement for %(month)s, already submitted: months on submitted "
                        "statements keep the standard they were computed with. The new standard can start in "
                        "%(earliest)s at the earliest."
                    )
                    % {
                        "product": product.name,
                        "rep": line.statement.rep.display_name,
                        "month": f"{line.purchase_month:%Y-%m}",
                        "earliest": f"{add_months(line.purchase_month, 1):%Y-%m}",
                    },
                    field="valid_from",
                )
            standard = FeeStandard.objects.create(product=product, valid_from=valid_from, created_by=actor)
            FeeTier.objects.bulk_create(
                FeeTier(standard=standard, min_quantity=t.min_quantity, max_quantity=t.max_quantity,
                        fee_per_unit=t.fee_per_unit)
                for t in parsed
            )  # fmt: skip
    except IntegrityError:
        raise DomainError(
            _("%(product)s already has a standard from %(month)s.")
            % {"product": product.name, "month": f"{valid_from:%Y-%m}"},
            field="valid_from",
        ) from None
    return standard


class StandardBook:
    """All standards and tiers in memory, for computing many statements with two queries."""

    def __init__(self):
        self._by_product: dict[int, list[tuple[date, FeeStandard, list[Tier]]]] = defaultdict(list)
        tiers: dict[int, list[Tier]] = defaultdict(list)
        for tier in FeeTier.objects.order_by("min_quantity"):
            tiers[tier.standard_id].append(Tier(tier.min_quantity, tier.max_quantity, tier.fee_per_unit))
        for standard in FeeStandard.objects.order_by("valid_from"):
            self._by_product[standard.product_id].append((standard.valid_from, standard, tiers[standard.pk]))

    def for_month(self, product_id: int, month: date) -> tuple[FeeStandard | None, list[Tier]]:
        """The standard in force on the first day of `month`."""
        found: tuple[FeeStandard | None, list[Tier]] = (None, [])
        for valid_from, standard, tiers in self._by_product.get(product_id, []):
            if valid_from <= month:
                found = (standard, tiers)
        return found
