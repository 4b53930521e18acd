from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load demo data (idempotent): every app's `demo.seed()`, in INSTALLED_APPS order."

    def handle(self, *args, **options):
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if not app_config.name.startswith("crm_project") and "." in app_config.name:
                continue
            if find_spec(module_name) is None:
                continue
            self.stdout.write(f"Seeding {app_config.label} …")
            import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in as rep1 / demo1234 (admin for administration)."))
