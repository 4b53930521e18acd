from django.utils.translation import gettext_lazy as _

from crm_project.accounts.models import User

from .services import notify


def seed(stdout=None) -> None:
    for user in User.objects.filter(is_active=True):
        notify(
            recipient=user,
            key=f"welcome:{user.pk}",
            kind="welcome",
            title=_("Welcome to the CRM"),
            body=_("This is your inbox. Reminders and approvals that need you arrive here and by e-mail."),
            email=False,
        )
