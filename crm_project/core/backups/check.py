"""Checking a backup folder without a database: its manifest, checksums and readable archives."""

import hashlib
import json
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from .postgres import BackupError, tool

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
FORMAT = 1


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: Path) -> dict:
    return {"sha256": sha256(path), "bytes": path.stat().st_size}


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST_FILE}.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} cannot be read: {error}")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has format {manifest.get('format')!r}; this version reads format {FORMAT}.")
    return manifest


@dataclass(frozen=True)
class CheckedBackup:
    folder: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())

    def summary(self) -> str:
        manifest = self.manifest
        return (
            f"{self.folder}: taken {manifest['created_at']} from {manifest['database']['name']}, "
            f"{len(manifest['tables'])} tables, {self.rows} rows, {len(manifest['media'])} uploaded files"
        )


def _media_checksums(archive: Path) -> dict[str, str]:
    found = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.isfile():
                digest = hashlib.sha256()
                with tar.extractfile(member) as handle:
                    for block in iter(lambda h=handle: h.read(1 << 20), b""):
                        digest.update(block)
                found[member.name] = digest.hexdigest()
    return found


def backup_check(folder: Path | str) -> CheckedBackup:
    """Prove a backup is whole: both files match their checksums, pg_restore reads the dump's
    table of contents, and every uploaded file in the archive matches the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = []
    for name in (DATABASE_FILE, MEDIA_FILE):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif sha256(path) != manifest["files"][name]["sha256"]:
            problems.append(f"{name} does not match its checksum (damaged or changed since the backup)")
    if problems:
        raise BackupError(f"{folder}: " + "; ".join(problems) + ".")

    pg_restore = tool("pg_restore", manifest["database"]["server_major"])
    listing = subprocess.run(
        [pg_restore, "--list", str(folder / DATABASE_FILE)], capture_output=True, text=True, timeout=600
    )
    if listing.returncode != 0:
        raise BackupError(f"pg_restore cannot read {folder / DATABASE_FILE}: {listing.stderr.strip()}")

    try:
        archived = _media_checksums(folder / MEDIA_FILE)
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"{folder / MEDIA_FILE} cannot be read: {error}")
    expected = {name: entry["sha256"] for name, entry in manifest["media"].items()}
    if archived != expected:
        missing = sorted(set(expected) - set(archived))
        changed = sorted(name for name in set(expected) & set(archived) if expected[name] != archived[name])
        extra = sorted(set(archived) - set(expected))
        raise BackupError(
            f"{folder / MEDIA_FILE} does not match the manifest: missing {missing}, changed {changed}, extra {extra}."
        )
    return CheckedBackup(folder=folder, manifest=manifest)
