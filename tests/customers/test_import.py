import io
import os
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from crm_project.notifications.models import Notification
from customers.importers.customers import COLUMNS as CUSTOMER_COLUMNS
from customers.importers.purchases import COLUMNS as PURCHASE_COLUMNS
from customers.models import Customer, ImportBatch, LoyaltyEntry, Purchase
from customers.selectors import customer_visible_to, search_customers
from tests.customers.factories import CustomerFactory, IndustryFactory, ProductFactory, PurchaseFactory

pytestmark = pytest.mark.django_db

PURCHASE_HEADER = ["customer", "product", "month", "quantity", "amount", "returned_quantity", "returned_amount",
                   "collected_amount"]  # fmt: skip
CUSTOMER_HEADER = ["code", "name", "industry", "status", "owner", "contact_name", "contact_role", "contact_phone",
                   "contact_birthday", "receives_fee", "fee_share"]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx(header, rows, name="data.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def upload(client, kind, file):
    return client.post("/customers/imports/new/", {"kind": kind, "file": file})


def latest() -> ImportBatch:
    return ImportBatch.objects.latest("pk")


def errors_by_row(batch) -> dict:
    found: dict = {}
    for entry in batch.errors:
        found.setdefault(entry["row"], []).append((entry["column"], entry["message"]))
    return found


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "columns"), [("customers", CUSTOMER_COLUMNS), ("purchases", PURCHASE_COLUMNS)])
def test_each_kind_has_a_template_with_header_example_and_notes(client_for, rep, clerk, kind, columns):
    """CUS-12; purchases are imported by the clerk, not the rep (EXP-04)"""
    ProductFactory(code="P-SENSOR")
    response = client_for(clerk if kind == "purchases" else rep).get(f"/customers/imports/template/{kind}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, notes = workbook.worksheets
    assert [cell.value for cell in data[1]] == [column.key for column in columns]
    assert data.max_row == 2
    assert notes.title == "notes"
    assert any(row[0] == columns[0].key for row in notes.iter_rows(values_only=True))
    assert client_for(rep).get("/customers/imports/template/nothing.xlsx").status_code == 404


def test_the_purchase_template_uploaded_as_it_is_checks_its_example_row(client_for, clerk):
    """CUS-12: the example row reads like a real row (here: an unknown customer code)."""
    ProductFactory(code="P-SENSOR")
    client = client_for(clerk)
    template = client.get("/customers/imports/template/purchases.xlsx").content
    upload(client, "purchases", SimpleUploadedFile("template.xlsx", template))
    batch = latest()
    assert batch.status == "checked"
    assert errors_by_row(batch) == {2: [("customer", "Unknown customer “C000123”.")]}


# --- purchases -----------------------------------------------------------------------------


def test_bad_purchase_rows_are_reported_with_row_column_and_reason_and_nothing_is_written(
    client_for, rep, clerk, outsider
):
    """CUS-12: bad dates, negative amounts, unknown product/customer codes, duplicate rows."""
    customer = CustomerFactory(owner=rep, code="C1")
    theirs = CustomerFactory(owner=outsider, code="THEIRS")
    ProductFactory(code="P1")
    rows = [
        ["C1", "P1", "2026-09", 10, 1000, 0, 0, 1000],  # 2: good
        ["C1", "P1", "2026-13", 10, 1000, 0, 0, 1000],  # 3: bad month
        ["C1", "P1", "2026-08", 10, -5, 0, 0, 0],  # 4: negative amount
        ["C1", "NOPE", "2026-07", 10, 1000, 0, 0, 0],  # 5: unknown product
        [theirs.code, "P1", "2026-07", 10, 1000, 0, 0, 0],  # 6: another department's customer
        ["C1", "P1", "2026-09", 10, 1000, 0, 0, 1000],  # 7: duplicate of row 2
        ["C1", "P1", date(2026, 6, 1), 3, 300, 0, 0, 300],  # 8: good (a date cell)
    ]
    client = client_for(clerk)
    response = upload(client, "purchases", xlsx(PURCHASE_HEADER, rows))
    batch = latest()
    assert response.status_code == 302 and response["Location"] == f"/customers/imports/{batch.pk}/"
    assert (batch.status, batch.total_rows, batch.good_rows) == ("checked", 7, 2)
    found = errors_by_row(batch)
    assert set(found) == {3, 4, 5, 6, 7}
    assert found[3][0][0] == "month" and "is not a month" in found[3][0][1]
    assert found[4] == [("amount", "The amount cannot be negative.")]
    assert found[5] == [("product", "Unknown product “NOPE”.")]
    assert found[6] == [("customer", "Unknown customer “THEIRS”.")]
    assert found[7] == [("month", "Same customer, product and month as row 2.")]
    assert not Purchase.objects.exists()  # nothing until confirmed
    page = client.get(f"/customers/imports/{batch.pk}/").content.decode()
    assert "Import the 2 good rows" in page
    assert "Unknown product “NOPE”." in page
    assert customer.purchases.count() == 0


def test_importing_only_the_good_rows(client_for, rep, clerk):
    """CUS-12: the user accepts the good rows; the bad ones are left out. CUS-13 points."""
    customer = CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    PurchaseFactory(customer=customer, product=ProductFactory(code="P2"), month=date(2026, 5, 1))
    rows = [
        ["C1", "P1", "2026-09", 10, 1000, 1, 100, 900],
        ["C1", "P1", "2026-08", 10, -1000, 0, 0, 0],
        ["C1", "P2", "2026-05", 20, 2000, 0, 0, 2000],  # updates the existing row
    ]
    client = client_for(clerk)
    upload(client, "purchases", xlsx(PURCHASE_HEADER, rows))
    batch = latest()
    response = client.post(f"/customers/imports/{batch.pk}/confirm/", follow=True)
    assert "Imported: 1 created, 1 updated." in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count) == ("done", 1, 1)
    assert customer.purchases.count() == 2
    assert customer.purchases.get(month=date(2026, 9, 1)).source == "import"
    assert customer.purchases.get(month=date(2026, 5, 1)).amount == Decimal("2000.00")
    assert LoyaltyEntry.objects.filter(customer=customer).count() == 2
    # Confirming again does nothing more.
    response = client.post(f"/customers/imports/{batch.pk}/confirm/", follow=True)
    assert "it cannot be confirmed" in response.content.decode()
    assert customer.purchases.count() == 2


def test_a_row_that_went_bad_after_the_check_is_skipped(client_for, rep, clerk, settings):
    """CUS-12: rows are checked again when written; nothing half-written."""
    customer = CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    client = client_for(clerk)
    upload(client, "purchases", xlsx(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0],
                                                       ["C1", "P1", "2026-08", 1, 100, 0, 0, 0]]))  # fmt: skip
    batch = latest()
    assert batch.good_rows == 2
    PurchaseFactory(customer=customer, product=ProductFactory(code="P1"), month=date(2026, 8, 1), external_ref="X")
    client.post(f"/customers/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count) == ("done", 1, 1)


# --- files that cannot be imported -----------------------------------------------------


def test_a_file_that_is_not_a_workbook_is_reported_not_a_crash(client_for, clerk):
    """CUS-12"""
    client = client_for(clerk)
    response = upload(client, "purchases", SimpleUploadedFile("sales.xlsx", os.urandom(2048)))
    assert response.status_code == 302
    batch = latest()
    assert batch.status == "failed"
    assert "not an Excel workbook" in batch.failure
    assert batch.errors == [{"row": None, "column": "", "message": batch.failure}]
    page = client.get(f"/customers/imports/{batch.pk}/")
    assert page.status_code == 200 and "not an Excel workbook" in page.content.decode()
    assert 'id="confirm-import"' not in page.content.decode()
    assert client.post(f"/customers/imports/{batch.pk}/confirm/").status_code == 302
    assert not Purchase.objects.exists()


def test_wrong_or_missing_columns_are_one_file_level_error(client_for, clerk):
    """CUS-12"""
    client = client_for(clerk)
    upload(client, "purchases", xlsx(["customer", "product", "monat", "amount"], [["C1", "P1", "2026-09", 1]]))
    batch = latest()
    assert batch.status == "failed"
    assert len(batch.errors) == 1 and batch.errors[0]["row"] is None
    assert "Required columns are missing: month, quantity." in batch.failure
    assert "Unknown columns: monat." in batch.failure
    upload(client, "customers", xlsx(["code", "name"], []))
    assert "no data rows" in latest().failure


def test_other_files_and_large_files_are_refused_at_upload(client_for, clerk, settings):
    client = client_for(clerk)
    response = upload(client, "purchases", SimpleUploadedFile("sales.csv", b"a,b\n1,2\n"))
    assert "Upload an Excel workbook (.xlsx)" in response.content.decode()
    response = upload(client, "purchases", xlsx(PURCHASE_HEADER, [["C1"]], name=f"{'销售' * 90}.xlsx"))
    assert response.status_code == 302  # a long name is shortened, never a crash
    assert latest().original_name.startswith("销售")
    ImportBatch.objects.all().delete()
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = upload(client, "purchases", SimpleUploadedFile("big.xlsx", b"0" * (1024 * 1024 + 1)))
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


# --- customers with contacts ---------------------------------------------------------------


def test_customers_with_contacts_import_after_confirmation(client_for, rep):
    """CUS-12, CUS-04: one row per contact; the rep owns the new customers; fee shares 100."""
    IndustryFactory(code="energy", name_zh="能源", name_en="Energy")
    rows = [
        ["", "深圳能源示例公司", "能源", "active", "", "王芳", "purchaser", "13800000001", "1985-06-01", "是", 60],
        ["", "深圳能源示例公司", "", "", "", "李娜", "采购部领导", "13800000002", "", "yes", 40],
        ["", "深圳能源示例公司", "", "", "", "赵敏", "other", "", "", "", ""],
        ["X-9", "个人客户张三", "", "", "", "", "", "", "", "", ""],
    ]
    client = client_for(rep)
    upload(client, "customers", xlsx(CUSTOMER_HEADER, rows))
    batch = latest()
    assert (batch.status, batch.good_rows, batch.errors) == ("checked", 4, [])
    assert not Customer.objects.exists()
    client.post(f"/customers/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("done", 2)
    energy = Customer.objects.get(name="深圳能源示例公司")
    assert (energy.owner, energy.status, energy.industry.code) == (rep, "active", "energy")
    assert energy.code.startswith("C")
    contacts = {c.name: (c.role, c.receives_fee, c.fee_share) for c in energy.contacts.all()}
    assert contacts == {
        "王芳": ("purchaser", True, Decimal("60.00")),
        "李娜": ("purchasing_head", True, Decimal("40.00")),
        "赵敏": ("other", False, Decimal("0.00")),
    }
    assert Customer.objects.get(code="X-9").contacts.count() == 0
    assert list(search_customers(customer_visible_to(rep), "李娜")) == [energy]
    assert energy.history.count() == 1  # ORG-03


def test_fee_shares_that_do_not_add_up_make_the_customers_rows_bad(client_for, rep):
    """CUS-12, CUS-05: a customer is imported with all its rows or not at all."""
    rows = [
        ["K1", "客户甲", "", "", "", "王芳", "purchaser", "", "", "yes", 60],
        ["K1", "客户甲", "", "", "", "李娜", "purchaser", "", "", "yes", 30],
        ["K1", "客户甲", "", "", "", "赵敏", "purchaser", "", "1990-02-30", "", ""],
        ["K2", "客户乙", "", "", "", "周杰", "purchaser", "", "", "yes", 100],
    ]
    client = client_for(rep)
    upload(client, "customers", xlsx(CUSTOMER_HEADER, rows))
    batch = latest()
    found = errors_by_row(batch)
    assert found[2] == [("fee_share", "The fee shares of 客户甲 add up to 90.00 %, not 100 %.")]
    assert found[3] == [("fee_share", "The fee shares of 客户甲 add up to 90.00 %, not 100 %.")]
    assert found[4][0][0] == "contact_birthday" and "is not a date" in found[4][0][1]
    assert 5 not in found
    assert batch.good_rows == 1
    client.post(f"/customers/imports/{batch.pk}/confirm/")
    assert list(Customer.objects.values_list("code", flat=True)) == ["K2"]


def test_customer_rows_problems_are_each_reported(client_for, rep, other_rep, manager):
    """CUS-12: codes in use, duplicate rows, inconsistent repeats, owners; a manager may
    give customers to a rep of the department, a rep may not."""
    CustomerFactory(owner=other_rep, code="TAKEN")
    rows = [
        ["TAKEN", "旧客户", "", "", "", "", "", "", "", "", ""],  # 2
        ["K1", "客户甲", "", "", "", "王芳", "", "", "", "", ""],  # 3
        ["K1", "客户甲", "", "", "", "王芳", "", "", "", "", ""],  # 4 duplicate contact
        ["K2", "客户乙", "", "", "", "", "", "", "", "", ""],  # 5
        ["K2", "客户乙X", "", "", "", "周杰", "", "", "", "", ""],  # 6 name differs
        ["K3", "客户丙", "", "sleeping", "other_rep", "", "", "", "", "", ""],  # 7 bad status, owner
        ["K4", "", "nowhere", "", "", "", "", "", "", "", ""],  # 8 name missing, industry
    ]
    upload(client_for(rep), "customers", xlsx(CUSTOMER_HEADER, rows))
    found = errors_by_row(latest())
    assert found[2] == [("code", "Customer code TAKEN is already in use.")]
    assert found[3][0][0] == "" and "row 4 of the same customer" in found[3][0][1]
    assert found[4] == [("contact_name", "Same contact as row 3 for this customer.")]
    assert found[6] == [("name", "Differs from row 5 of the same customer (“客户乙”).")]
    assert {column for column, _message in found[7]} == {"status", "owner"}
    assert {column for column, _message in found[8]} == {"name", "industry"}
    assert latest().good_rows == 0
    upload(client_for(manager), "customers", xlsx(CUSTOMER_HEADER, [["K5", "客户丁", "", "", "other_rep"]]))
    batch = latest()
    assert batch.errors == []
    client_for(manager).post(f"/customers/imports/{batch.pk}/confirm/")
    assert Customer.objects.get(code="K5").owner == other_rep


# --- cancel, access ------------------------------------------------------------------------


def test_cancelling_writes_nothing_and_deletes_the_file(client_for, rep, django_capture_on_commit_callbacks):
    """CUS-12, CUS-07: the uploaded personal data does not linger."""
    rows = [["K1", "客户甲", "", "", "", "", "", "", "", "", ""]]
    client = client_for(rep)
    upload(client, "customers", xlsx(CUSTOMER_HEADER, rows))
    batch = latest()
    path = batch.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/customers/imports/{batch.pk}/cancel/").status_code == 302
    assert not os.path.exists(path)
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    client.post(f"/customers/imports/{batch.pk}/confirm/")
    assert not Customer.objects.exists()


def test_an_import_is_visible_only_to_its_uploader(client_for, rep, clerk, manager, gm):
    """ORG-02, CUS-07: another person gets 404 on every URL of someone's import."""
    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    upload(client_for(clerk), "purchases", xlsx(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0]]))
    batch = latest()
    for user in (rep, manager, gm):
        client = client_for(user)
        for url in ("", "progress/", "errors.xlsx"):
            assert client.get(f"/customers/imports/{batch.pk}/{url}").status_code == 404
        for url in ("confirm/", "cancel/"):
            assert client.post(f"/customers/imports/{batch.pk}/{url}").status_code == 404
        assert client.get("/customers/imports/").context["paginator"].count == 0
    assert client_for(clerk).get("/customers/imports/").context["paginator"].count == 1
    assert client_for(clerk).get(f"/customers/imports/{batch.pk}/errors.xlsx").status_code == 200
    batch.refresh_from_db()
    assert batch.status == "checked"
    assert not Purchase.objects.exists()


def test_management_and_outsiders_cannot_import(client_for, gm, outsider):
    for user in (gm, outsider):
        client = client_for(user)
        assert client.get("/customers/imports/new/").status_code == 403
        assert client.get("/customers/imports/template/customers.xlsx").status_code == 403
        upload(client, "purchases", xlsx(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0]]))
    assert not ImportBatch.objects.exists()


# --- large files: background jobs, progress, notification ----------------------------------


def test_a_large_file_is_checked_and_imported_in_the_background(
    client_for, rep, clerk, settings, django_capture_on_commit_callbacks
):
    """CUS-12, JOB-09: a job checks and another imports; progress on the page; the uploader
    is notified once."""
    settings.IMPORT_BACKGROUND_THRESHOLD = 3
    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    rows = [["C1", "P1", f"2026-0{month}", 1, 100, 0, 0, 0] for month in range(1, 6)] + [["C1", "P1", "bad"]]
    client = client_for(clerk)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, "purchases", xlsx(PURCHASE_HEADER, rows))
    batch = latest()
    assert (batch.status, batch.in_background) == ("checking", True)
    # While the job has not run, the page shows a progress bar polling a small partial; how
    # many rows there are is known once the job has read them.
    page = client.get(f"/customers/imports/{batch.pk}/").content.decode()
    assert f'hx-get="/customers/imports/{batch.pk}/progress/"' in page
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=2)
    partial = client.get(f"/customers/imports/{batch.pk}/progress/")
    assert "2 rows read" in partial.content.decode() and "HX-Refresh" not in partial
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()  # the check job runs (eagerly)
    batch.refresh_from_db()
    assert (batch.status, batch.good_rows, batch.processed_rows) == ("checked", 5, 6)
    assert Notification.objects.filter(recipient=clerk, key=f"import-checked:{batch.pk}").exists()
    assert client.get(f"/customers/imports/{batch.pk}/progress/")["HX-Refresh"] == "true"
    assert not Purchase.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/customers/imports/{batch.pk}/confirm/", follow=True)
    assert "Importing in the background" in response.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("done", 5)
    assert Purchase.objects.count() == 5
    done = Notification.objects.get(recipient=clerk, key=f"import-done:{batch.pk}")
    assert done.url == f"/customers/imports/{batch.pk}/"
    # JOB-09: the job run again changes and notifies nothing.
    from customers.tasks_imports import import_apply_job, import_check_job

    with django_capture_on_commit_callbacks(execute=True):
        assert import_apply_job.delay(batch.pk).get() == "done"
        assert import_check_job.delay(batch.pk).get() == "done"
    assert Purchase.objects.count() == 5
    assert Notification.objects.filter(recipient=clerk).count() == 2


def test_cancelling_while_the_job_checks_stops_it(client_for, rep, clerk, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    client = client_for(clerk)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, "purchases", xlsx(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0]]))
    batch = latest()
    client.post(f"/customers/imports/{batch.pk}/cancel/")
    for callback in queued:
        callback()
    batch.refresh_from_db()
    assert batch.status == "cancelled"
    assert not Notification.objects.exists()


def test_a_background_job_that_fails_for_good_marks_the_batch_failed(client_for, rep, clerk):
    """CUS-12, JOB-09: once the retries are spent the batch says so instead of "importing"."""
    from customers.models import ImportStatus
    from customers.tasks_imports import import_apply_job

    CustomerFactory(owner=rep, code="C1")
    ProductFactory(code="P1")
    upload(client_for(clerk), "purchases", xlsx(PURCHASE_HEADER, [["C1", "P1", "2026-09", 1, 100, 0, 0, 0]]))
    batch = latest()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    import_apply_job.on_failure(RuntimeError("disk full"), "task-id", (), {"batch_id": batch.pk}, None)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.failure
    assert not Purchase.objects.exists()
