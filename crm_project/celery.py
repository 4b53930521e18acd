import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")

app = Celery("crm_project")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id into jobs, worker and beat logging through Django's LOGGING, job outcomes counted.
from crm_project.core.observability import celery_signals  # noqa: E402, F401
