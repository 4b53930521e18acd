import json

from django.core.management.base import BaseCommand, CommandError

from crm_project.core.jobs import load_all_jobs


class Command(BaseCommand):
    help = "Run a background job now, in this process, by name (see --list)."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The job's name, e.g. workdays.calendar_coverage_reminder")
        parser.add_argument("--kwargs", default="{}", help="Keyword arguments as a JSON object.")
        parser.add_argument("--list", action="store_true", help="List the jobs.")

    def handle(self, *args, name=None, kwargs="{}", list=False, **options):
        registry = load_all_jobs()
        if list or not name:
            for job_name in sorted(registry):
                self.stdout.write(job_name)
            return
        if name not in registry:
            raise CommandError(f"No job named {name!r}. Known jobs: {', '.join(sorted(registry))}")
        try:
            arguments = json.loads(kwargs)
        except json.JSONDecodeError as error:
            raise CommandError(f"--kwargs is not valid JSON: {error}") from error
        result = registry[name].apply(kwargs=arguments, throw=True).get()
        self.stdout.write(self.style.SUCCESS(f"{name}: {result}"))
