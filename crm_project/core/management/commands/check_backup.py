from django.core.management.base import BaseCommand, CommandError

from crm_project.core.backups import BackupError, backup_check


class Command(BaseCommand):
    help = "Check a backup folder: checksums, the dump readable by pg_restore, every uploaded file present."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`.")

    def handle(self, *args, folder, **options):
        try:
            checked = backup_check(folder)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(self.style.SUCCESS(f"OK — {checked.summary()}"))
