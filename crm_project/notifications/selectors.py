from django.db.models import QuerySet

from crm_project.accounts.access import visible_to

from .models import Notification


def notification_visible_to(user) -> QuerySet[Notification]:
    return visible_to(user, Notification.objects.all())


def unread_count(user) -> int:
    return notification_visible_to(user).filter(read_at__isnull=True).count()
