"""Supplier codes: SUP-YYYY-NNNN, per year, gap-free under concurrency, never reused (SUP-07)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from crm_project.core.errors import DomainError
from suppliers.models import Stage, Supplier, SupplierCodeSequence
from suppliers.services.stages import supplier_activate, supplier_suspend

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db(transaction=True)
def test_two_activations_racing_on_two_connections_get_two_consecutive_codes(at, buyer):
    """SUP-07: each activation on its own connection, started together; the year's counter row
    makes the second wait, so the codes are 0001 and 0002, neither given twice nor skipped."""
    with time_machine.travel(datetime(2026, 5, 12, 10, 0, tzinfo=SHANGHAI), tick=True):
        suppliers = [at(Stage.CONTRACTED), at(Stage.CONTRACTED)]
        barrier = threading.Barrier(2)
        errors = []

        def activate(supplier):
            try:
                barrier.wait()
                supplier_activate(actor=buyer, supplier=supplier, payment_terms="月结60天")
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=activate, args=(supplier,)) for supplier in suppliers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    codes = sorted(Supplier.objects.filter(pk__in=[s.pk for s in suppliers]).values_list("code", flat=True))
    assert codes == ["SUP-2026-0001", "SUP-2026-0002"]
    assert SupplierCodeSequence.objects.get(year=2026).last_number == 2


@pytest.mark.django_db
def test_numbers_start_again_each_year_and_follow_the_format_setting(at, buyer, settings):
    """SUP-07: the sequence is per year; the format is a setting."""
    settings.SUPPLIER_CODE_FORMAT = "GYS{year}{number:05d}"
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), tick=False):
        first = at(Stage.ACTIVE)
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI), tick=False):
        second = at(Stage.ACTIVE)
    assert (first.code, second.code) == ("GYS202600001", "GYS202700001")


@pytest.mark.django_db
def test_a_code_is_never_reused_not_after_a_suspension_nor_a_failed_activation(at, buyer):
    """SUP-07: a failed activation takes no number; a suspended supplier keeps its code and the
    next supplier gets the next number."""
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False):
        first = at(Stage.ACTIVE)
        supplier_suspend(actor=buyer, supplier=first, reason="暂停合作")
        failing = at(Stage.CONTRACTED)
        with pytest.raises(DomainError):
            supplier_activate(actor=buyer, supplier=failing, payment_terms="")
        second = supplier_activate(actor=buyer, supplier=failing, payment_terms="月结30天")
    first.refresh_from_db()
    assert (first.code, second.code) == ("SUP-2026-0001", "SUP-2026-0002")
    assert Supplier.objects.filter(code="SUP-2026-0001").count() == 1
