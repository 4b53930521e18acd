"""Supplier codes (SUP-07): `SUP-YYYY-NNNN` (SUPPLIER_CODE_FORMAT), numbered per year without
gaps and never given twice. The year's counter row is locked for the rest of the activating
transaction: a second activation waits for it, and an activation that fails rolls its number
back with it, so no number is skipped. The sequence only goes up, so a code is never reused,
whatever happens to the supplier that had it."""

from django.conf import settings

from ..models import SupplierCodeSequence


def next_supplier_code(year: int) -> str:
    """The next code of `year`; call inside the activating transaction."""
    SupplierCodeSequence.objects.bulk_create([SupplierCodeSequence(year=year)], ignore_conflicts=True)
    counter = SupplierCodeSequence.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return settings.SUPPLIER_CODE_FORMAT.format(year=year, number=counter.last_number)
