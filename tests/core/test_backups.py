"""`make backup` and `make restore`: a backup restores into a fresh database with every row, every
uploaded file and the ledger's immutability back, and a damaged backup is caught before it is used."""

import hashlib
import io
import secrets
import shutil
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from crm_project.core.backups.postgres import Database, table_counts
from customers.models import ImportBatch
from expenses.models import LedgerEntry
from tests.complaints.factories import ComplaintFactory
from tests.customers.factories import CustomerFactory
from tests.expenses.factories import valid_statement


def _checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _url(database: Database) -> str:
    credentials = quote(database.user) + (f":{quote(database.password)}" if database.password else "")
    return f"postgres://{credentials}@{database.host}:{database.port}/{database.name}"


def _purchases_workbook() -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["customer", "product", "month", "quantity", "amount", "collected_amount"])
    workbook.active.append(["C1", "P1", "2026-09", 10, 1000, 1000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("采购.xlsx", buffer.getvalue())


@pytest.fixture
def fresh_database():
    """A database name of our own beside the test database, dropped afterwards."""
    source = Database.default()
    target = Database.from_settings(
        {"NAME": f"{source.name}_restore_{secrets.token_hex(3)}", "HOST": source.host, "PORT": source.port,
         "USER": source.user, "PASSWORD": source.password}
    )  # fmt: skip
    yield target
    with source.connect(dbname="postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_file_and_the_ledger_trigger(
    settings, tmp_path, time_machine, client_for, rep, clerk, manager, finance, fresh_database
):
    """Customers, a signed statement with its ledger entries, a complaint and uploaded files go
    into one dated backup and come back whole in a fresh database; the restored ledger still
    refuses UPDATE (CUS-10, CUS-12, EXP-03, EXP-07, CMP-01, ORG-03)."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    settings.MEDIA_ROOT = tmp_path / "media"
    CustomerFactory.create_batch(3, owner=rep)
    valid_statement(rep, clerk=clerk, manager=manager, finance=finance)
    ComplaintFactory()
    client_for(clerk).post("/customers/imports/new/", {"kind": "purchases", "file": _purchases_workbook()})
    default_storage.save("signoff/2026/10/签收表.pdf", ContentFile(b"%PDF-1.4\n%signed\n"))
    assert LedgerEntry.objects.exists() and ImportBatch.objects.exists()

    call_command("backup", into=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    assert folder.name == "2026-10-09T1000"
    assert sorted(path.name for path in folder.iterdir()) == ["database.dump", "manifest.json", "media.tar.gz"]
    with Database.default().connect() as source:
        rows = table_counts(source)
    files = _checksums(settings.MEDIA_ROOT)
    assert len(files) == 2

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(restored_media))

    with fresh_database.connect() as restored:
        assert table_counts(restored) == rows
        assert restored.execute("SELECT count(*) FROM expenses_ledgerentry").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
            restored.execute("UPDATE expenses_ledgerentry SET amount = amount + 1")
        with pytest.raises(psycopg.errors.RaiseException, match="immutable"):
            restored.execute("DELETE FROM expenses_ledgerentry")
    assert _checksums(restored_media) == files

    # A second restore would overwrite data: refused, and nothing is touched.
    with pytest.raises(CommandError, match=r"Nothing was restored.*FORCE=1"):
        call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(restored_media))
    with fresh_database.connect() as restored:
        assert table_counts(restored) == rows
    # Told to, it replaces them and keeps the media folder it replaced aside.
    (restored_media / "stray.txt").write_text("not in the backup")
    call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(restored_media), force=True)
    assert _checksums(restored_media) == files
    (kept,) = tmp_path.glob("restored-media.before-restore-*")
    assert (kept / "stray.txt").exists()


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_and_old_backups_are_pruned(settings, tmp_path, time_machine, fresh_database):
    """check_backup catches a changed dump or a missing upload before a restore uses it, and
    --keep removes the oldest backups only (ORG-03: nothing restored from a broken copy)."""
    time_machine.move_to("2026-10-09 10:00 +0800")
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("imports/2026/10/a.xlsx", ContentFile(b"first upload"))
    backups = tmp_path / "backups"
    call_command("backup", into=str(backups))
    call_command("backup", into=str(backups), keep=1)
    (folder,) = backups.iterdir()  # two in the same minute: the second is named …-2, the first pruned
    assert folder.name.endswith("-2")
    call_command("check_backup", str(folder))

    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    with open(damaged / "database.dump", "r+b") as dump:
        dump.seek(100)
        dump.write(b"\0\0\0\0")
    with pytest.raises(CommandError, match=r"database\.dump does not match its checksum"):
        call_command("check_backup", str(damaged))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), database_url=_url(fresh_database), media_root=str(tmp_path / "r"))

    with pytest.raises(CommandError, match=r"no manifest\.json"):
        call_command("check_backup", str(tmp_path / "media"))
