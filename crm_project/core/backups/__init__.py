"""Backups of the database and the uploaded files, checked by a manifest, and their restore.

A backup is one folder, `BACKUP_DIR/<YYYY-MM-DDTHHMM>/`:

- `database.dump` — `pg_dump --format=custom` of the whole database;
- `media.tar.gz` — every file under `MEDIA_ROOT`;
- `manifest.json` — when and from where, the rows of every table (counted in the dump's own
  snapshot), the migrations applied, and a SHA-256 of both files and of every uploaded file.

`backup_create` writes one, `backup_check` verifies one without touching a database, and
`backup_restore` puts one back into an empty database and media folder, then proves it by
comparing rows and checksums with the manifest.
"""

from .check import BackupError, backup_check
from .create import backup_create
from .restore import backup_restore

__all__ = ["BackupError", "backup_check", "backup_create", "backup_restore"]
