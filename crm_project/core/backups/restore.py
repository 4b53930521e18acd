"""Restoring a backup into the configured database and media folder, then proving it."""

import contextlib
import secrets
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.utils import timezone
from psycopg import sql

from .check import DATABASE_FILE, MEDIA_FILE, backup_check, sha256
from .postgres import BackupError, Database, server_major, table_counts, tables, tool


@dataclass
class RestoreReport:
    database: str
    tables: int
    rows: int
    files: int
    previous_media: Path | None = None
    notes: list[str] = field(default_factory=list)


def _create_if_missing(database: Database) -> None:
    with database.connect(dbname="postgres") as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def _empty_database(connection) -> None:
    """--force: drop every schema of ours with everything in it, and start from an empty public."""
    schemas = connection.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'"
    ).fetchall()
    with connection.transaction():
        for (schema,) in schemas:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        connection.execute("CREATE SCHEMA public")
        connection.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
    with contextlib.suppress(psycopg.Error):  # owned as in a new database, where the server knows that role
        connection.execute("ALTER SCHEMA public OWNER TO pg_database_owner")


def _verify(database: Database, media_root: Path, manifest: dict) -> None:
    with database.connect() as connection:
        restored = table_counts(connection)
    expected = manifest["tables"]
    differ = {name: (count, restored.get(name)) for name, count in expected.items() if restored.get(name) != count}
    if differ:
        shown = ", ".join(f"{name}: {want} in the backup, {got} restored" for name, (want, got) in differ.items())
        raise BackupError(f"The restored database differs from the backup's manifest ({shown}).")
    for name, entry in manifest["media"].items():
        path = media_root / name
        if not path.is_file() or sha256(path) != entry["sha256"]:
            raise BackupError(f"The restored file {path} is missing or differs from the backup.")


def backup_restore(
    folder: Path | str, *, database: Database | None = None, media_root: Path | str | None = None, force: bool = False
) -> RestoreReport:
    """Restore `folder` into `database` (DATABASE_URL) and `media_root` (MEDIA_ROOT).

    Refuses a database that has tables or a media folder that has files unless `force`; with
    `force` the database's schemas are dropped and the media folder is kept aside, renamed
    `<MEDIA_ROOT>.before-restore-<time>`. The dump goes in as one transaction, so a failure
    leaves an empty database rather than half of one. Afterwards every table's rows and every
    file's checksum are compared with the manifest.
    """
    checked = backup_check(folder)
    manifest = checked.manifest
    database = database or Database.default()
    media_root = Path(media_root or settings.MEDIA_ROOT)

    _create_if_missing(database)
    with database.connect() as connection:
        existing = tables(connection)
        major = max(server_major(connection), manifest["database"]["server_major"])
    existing_files = _files(media_root)
    if (existing or existing_files) and not force:
        found = []
        if existing:
            found.append(f"the database {database.describe()} has {len(existing)} tables")
        if existing_files:
            found.append(f"{media_root} holds {len(existing_files)} files")
        raise BackupError(
            f"Nothing was restored: {' and '.join(found)}. Restore into an empty database and media folder, "
            "or pass --force (make restore … FORCE=1) to replace them."
        )
    pg_restore = tool("pg_restore", major)

    # Unpack first, beside the media folder: a damaged archive then leaves the database as it was.
    staging = media_root.with_name(f".{media_root.name}.restoring-{secrets.token_hex(4)}")
    staging.mkdir(parents=True)
    try:
        with tarfile.open(checked.folder / MEDIA_FILE, "r:gz") as tar:
            tar.extractall(staging, filter="data")
        if existing:
            with database.connect() as connection:
                _empty_database(connection)
        restored = subprocess.run(
            [pg_restore, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", "--no-password",
             f"--dbname={database.name}", str(checked.folder / DATABASE_FILE)],
            env=database.libpq_env(), capture_output=True, text=True, timeout=6 * 3600,
        )  # fmt: skip
        if restored.returncode != 0:
            raise BackupError(f"pg_restore failed, the database is left empty: {restored.stderr.strip()}")
        previous = None
        if media_root.exists():
            if _files(media_root):
                previous = media_root.with_name(f"{media_root.name}.before-restore-{timezone.now():%Y%m%dT%H%M%S}")
                media_root.rename(previous)
            else:
                shutil.rmtree(media_root)
        staging.rename(media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    _verify(database, media_root, manifest)
    report = RestoreReport(
        database=database.describe(),
        tables=len(manifest["tables"]),
        rows=checked.rows,
        files=len(manifest["media"]),
        previous_media=previous,
    )
    if previous:
        report.notes.append(f"The media folder as it was is kept in {previous}; delete it once satisfied.")
    if due := _migrations_due(manifest):
        report.notes.append(f"This code has {due} migrations the backup predates: run `manage.py migrate` next.")
    return report


def _migrations_due(manifest: dict) -> int:
    from django.db.migrations.loader import MigrationLoader

    applied = set(manifest["migrations"])
    known = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    return sum(1 for app, name in known if f"{app}.{name}" not in applied)
