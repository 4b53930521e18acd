from django.utils.translation import gettext_lazy as _

from crm_project.core.exports import Column, Export


class NotificationExport(Export):
    name = "notifications"
    columns = [
        Column(_("Received"), "created_at", width=20),
        Column(_("Title"), "rendered_title", width=50),
        Column(_("Message"), "rendered_body", width=80),
        Column(_("Read"), "read_at", width=20),
    ]
