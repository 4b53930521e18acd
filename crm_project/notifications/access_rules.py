"""An inbox is personal: everyone, administrators included, sees only their own (JOB-10)."""

from crm_project.accounts import access

from .models import Notification

access.register(Notification, access.own_records("recipient"))
