from django.core.management.base import BaseCommand, CommandError

from crm_project.core.backups import BackupError, backup_check, backup_create
from crm_project.core.backups.create import backup_prune


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the uploaded files into a new dated folder under BACKUP_DIR."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--into", help="The folder to write the backup under (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="Afterwards remove all but the newest KEEP backups there.")

    def handle(self, *args, into=None, keep=None, **options):
        try:
            folder = backup_create(root=into)
            self.stdout.write(self.style.SUCCESS(backup_check(folder).summary()))
            for removed in backup_prune(keep=keep, root=into) if keep else []:
                self.stdout.write(f"Removed the old backup {removed}")
        except BackupError as error:
            raise CommandError(str(error))
