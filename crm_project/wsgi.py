import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
application = get_wsgi_application()
# What is loaded by now (Django, the apps, the URL patterns, the translations) lives as long as
# the process: out of the collector's sight, a full collection during a long page or export
# sweeps only what requests made, not the whole application again.
gc.freeze()
