"""Purchase months frozen by the rapport fees (CUS-10, EXP-04).

Once a statement computed from a customer's purchases of a month is submitted or signed,
those purchases are frozen: no write overwrites them in place. A late change — the ERP's
upsert, an import, the clerk's or finance's hand entry — is handed to the freezer as a
correction instead, which keeps the original and the corrected figures and who made it and
is carried by the rep's next statement, as a claw-back is (EXP-12). A statement returned to
the rep unfreezes its month again.

The customers app does not know statements: the fees app registers its freezer here when it
loads (expenses/apps.py). Without one nothing is frozen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError

from ..models import Purchase

Key = tuple[int, date]  # customer id, month

# Purchase writes take it shared, so they run side by side; submitting or returning a
# statement takes it exclusively, so a month never freezes half-way through a write.
_FREEZE_LOCK = 0x43555332


@dataclass
class LateChange:
    """New figures for a frozen purchase row (the row itself keeps the figures it had)."""

    purchase: Purchase
    values: dict[str, Decimal]


class Freezer(Protocol):
    def frozen(self, keys: Iterable[Key]) -> set[Key]:
        """Which (customer, month) pairs are frozen now."""

    def current_figures(self, purchase_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
        """The figures in force for frozen rows that have been corrected (by purchase id)."""

    def post(self, *, actor: User, changes: list[LateChange], source: str) -> None:
        """Record late changes as corrections carried by the next statement."""


class _NothingFrozen:
    def frozen(self, keys: Iterable[Key]) -> set[Key]:
        return set()

    def current_figures(self, purchase_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
        return {}

    def post(self, *, actor: User, changes: list[LateChange], source: str) -> None:
        raise AssertionError("nothing is frozen, so nothing is posted late")


_freezer: Freezer = _NothingFrozen()


def register_freezer(freezer: Freezer) -> None:
    global _freezer
    _freezer = freezer


def freezer() -> Freezer:
    return _freezer


# How long a submission or return waits for purchase writes under way (a large import).
FREEZE_WAIT_MS = 15_000


def lock_purchase_months(*, exclusive: bool = False) -> None:
    """Take the freeze lock for the current transaction: shared to write purchases,
    exclusive to freeze or unfreeze a month (statement submit and return). The exclusive
    lock waits at most FREEZE_WAIT_MS, then refuses with a message instead of holding a
    web worker for the length of an import. Call it first in the transaction."""
    with connection.cursor() as cursor:
        if not exclusive:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [_FREEZE_LOCK])
            return
        cursor.execute("SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
                       [f"{int(FREEZE_WAIT_MS)}ms"])  # fmt: skip
        previous = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FREEZE_LOCK])
        except OperationalError:
            raise DomainError(
                _("Purchases are being written right now (an import or the ERP); try again in a minute.")
            ) from None
        finally:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
