"""Taking a backup: one pg_dump and one archive of the uploads, into a new dated folder."""

import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .check import DATABASE_FILE, FORMAT, MANIFEST_FILE, MEDIA_FILE, file_entry, read_manifest
from .postgres import BackupError, Database, server_major, table_counts, tool

FOLDER_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{4}(-\d+)?$")


def _new_folder(root: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y-%m-%dT%H%M")
    folder, n = root / stamp, 1
    while folder.exists() or folder.with_name(folder.name + ".partial").exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return folder


def _migrations(connection, counts: dict[str, int]) -> list[str]:
    """The migrations applied, `app.name`, so a restore can say whether `migrate` is due."""
    table = MigrationRecorder.Migration._meta.db_table
    if f"public.{table}" not in counts:
        return []
    rows = connection.execute(f"SELECT app, name FROM {table} ORDER BY app, name").fetchall()  # noqa: S608
    return [f"{app}.{name}" for app, name in rows]


def _archive_media(media_root: Path, archive: Path) -> dict[str, dict]:
    files = {}
    with tarfile.open(archive, "w:gz") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    name = path.relative_to(media_root).as_posix()
                    tar.add(path, arcname=name, recursive=False)
                    files[name] = file_entry(path)
    return files


def backup_create(*, root: Path | str | None = None, database: Database | None = None) -> Path:
    """Write a backup folder under `root` (BACKUP_DIR) and return it.

    The rows are counted in the very snapshot pg_dump dumps (`pg_dump --snapshot`), so the
    manifest describes exactly what is in the dump while the application keeps writing. The
    uploads are archived after the dump: a file is stored before its row commits, so every
    file a dumped row names is in the archive. The folder appears under its final name only
    when it is complete.
    """
    database = database or Database.default()
    root = Path(root or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    folder = _new_folder(root)
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir()
    try:
        with database.connect(autocommit=False) as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            major = server_major(connection)
            pg_dump = tool("pg_dump", major)
            counts = table_counts(connection)
            migrations = _migrations(connection, counts)
            dumped = subprocess.run(
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                 f"--file={partial / DATABASE_FILE}"],
                env=database.libpq_env(), capture_output=True, text=True, timeout=6 * 3600,
            )  # fmt: skip
            connection.rollback()
        if dumped.returncode != 0:
            raise BackupError(f"pg_dump failed: {dumped.stderr.strip()}")
        version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, timeout=30)
        media = _archive_media(Path(settings.MEDIA_ROOT), partial / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": {
                "name": database.name,
                "host": database.host,
                "port": database.port,
                "server_major": major,
                "pg_dump": version.stdout.strip(),
            },
            "files": {name: file_entry(partial / name) for name in (DATABASE_FILE, MEDIA_FILE)},
            "tables": counts,
            "migrations": migrations,
            "media": media,
        }
        (partial / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def backup_prune(*, keep: int, root: Path | str | None = None) -> list[Path]:
    """Remove all but the newest `keep` complete backups under `root`; returns what was removed."""
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    root = Path(root or settings.BACKUP_DIR)
    complete = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.is_dir() and FOLDER_NAME.match(folder.name):
            try:
                complete.append((read_manifest(folder)["created_at"], folder))
            except BackupError:
                continue  # not one of ours, or damaged: an operator should look at it
    removed = [folder for _, folder in sorted(complete)[:-keep]]
    for folder in removed:
        shutil.rmtree(folder)
    return removed
