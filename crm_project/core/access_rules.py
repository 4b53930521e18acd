"""The core's records in the access registry: a background export is its user's alone."""

from crm_project.accounts import access

from .models import ExportJob

access.register(ExportJob, access.own_records("user"))
