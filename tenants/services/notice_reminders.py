"""TEN-06, JOB-09: a notice delivered TENANT_NOTICE_REMINDER_WORKING_DAYS working days ago or
more that some tenants have not signed for yet is brought to the operations staff — the head of
Operations and the drafter — once per notice and person (the notification key decides)."""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from crm_project.notifications.services import notify
from crm_project.workdays.calendar import add_working_days, local_zone

from ..models import Notice, NoticeAddressee, NoticeStatus
from ..selectors import operations_manager

TITLE = gettext_lazy("Notice “%(title)s”: %(count)s tenants have not signed for it")
BODY = gettext_lazy("Delivered on %(delivered)s. Follow up with the tenants or record their paper receipts.")


def delivered_by_cutoff(today: date) -> datetime:
    """The end of the last delivery day that is due a reminder today."""
    days = max(1, int(settings.TENANT_NOTICE_REMINDER_WORKING_DAYS))
    last_day = add_working_days(today, -days)
    return datetime.combine(last_day, time.max, tzinfo=local_zone())


def notices_remind_unsigned(*, today: date | None = None) -> int:
    """Returns how many notifications were sent (0 on a second run the same day or later)."""
    today = today or timezone.localdate()
    cutoff = delivered_by_cutoff(today)
    due = (
        Notice.objects.filter(status=NoticeStatus.DELIVERED, delivered_at__lte=cutoff)
        .annotate(open_count=Count("addressees", filter=Q(addressees__signed_at__isnull=True)))
        .filter(open_count__gt=0)
        .select_related("drafted_by")
        .order_by("pk")
    )
    manager = operations_manager()
    sent = 0
    for notice in due:
        people = {}
        for person in (manager, notice.drafted_by):
            if person is not None and person.is_active:
                people[person.pk] = person
        reached = False
        for person in people.values():
            created = notify(
                recipient=person,
                key=f"notice-unsigned:{notice.pk}:{person.pk}",
                kind="tenant",
                title=TITLE,
                body=BODY,
                params={
                    "title": notice.title,
                    "count": notice.open_count,
                    "delivered": timezone.localtime(notice.delivered_at).date(),
                },
                url=reverse("tenants:notice_detail", args=[notice.pk]),
            )
            if created is not None:
                sent += 1
                reached = True
        if reached:
            # Bookkeeping on the addressees the reminder was about.
            NoticeAddressee.objects.filter(notice=notice, signed_at__isnull=True).update(
                reminded_at=timezone.now(), reminder_count=F("reminder_count") + 1
            )
    return sent
