from django.core.management.base import BaseCommand

from crm_project.core.schedules import sync_schedules


class Command(BaseCommand):
    help = "Write the periodic job schedules to celery beat's database tables."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Overwrite schedules changed in the admin.")

    def handle(self, *args, reset=False, **options):
        created, updated = sync_schedules(reset=reset)
        self.stdout.write(self.style.SUCCESS(f"Schedules: {created} created, {updated} reset."))
