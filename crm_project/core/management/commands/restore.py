from django.core.management.base import BaseCommand, CommandError

from crm_project.core.backups import BackupError, backup_restore
from crm_project.core.backups.postgres import Database


class Command(BaseCommand):
    help = (
        "Restore a backup folder into DATABASE_URL and MEDIA_ROOT, then compare every table's rows and every "
        "file's checksum with its manifest. Stop the web, worker and beat processes first."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that has tables and a media folder that has files."
        )
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL.")
        parser.add_argument("--media-root", help="Restore the uploaded files here instead of MEDIA_ROOT.")

    def handle(self, *args, folder, force=False, database_url=None, media_root=None, **options):
        database = Database.from_url(database_url) if database_url else None
        try:
            report = backup_restore(folder, database=database, media_root=media_root, force=force)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder} into {report.database}: {report.tables} tables, {report.rows} rows and "
                f"{report.files} files, all matching the manifest."
            )
        )
        for note in report.notes:
            self.stdout.write(note)
