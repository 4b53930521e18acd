"""Bulk notices to tenants (TEN-08): typhoon and rainstorm reminders, holiday greetings.

Sending freezes the audience: one delivery row per tenant (unique per notice), addressed to the
tenant's main contact; a tenant without an e-mail address is recorded and skipped. The e-mails
go out from a job queued on commit. The job sends only rows still undelivered, each claimed
with `SELECT … FOR UPDATE SKIP LOCKED` and re-checked, so a second run, a retry or two workers
never e-mail a tenant twice for one notice (JOB-09).
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError
from crm_project.core.jobs import enqueue_on_commit

from ..exports_archive import main_contact
from ..models import BulkNotice, BulkNoticeDelivery, NoticeKind
from ..permissions_visits import can_send_bulk_notices
from ..selectors_visits import notice_audience
from .common import require

TITLE_MAX = 200
MESSAGE_MAX = 5000
# What a delivery row records when nothing could be sent (shown translated, see FAILURE_LABELS).
NO_CONTACT = "no_contact"
NO_EMAIL = "no_email"
# The sweep re-sends pending rows of notices this recent (their job could not be queued).
SWEEP_DAYS = 3


def _text(value: str, *, field: str, missing: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(missing, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(limit)s characters.") % {"limit": limit}, field=field)
    return value


def bulk_notice_send(
    *, actor: User, kind: str, title: str, message: str, floor: str = "", business_type: str = ""
) -> BulkNotice:
    """TEN-08: record the notice and one delivery per tenant of the audience (all current
    tenants, or those of the floor and/or business type), then e-mail them on commit."""
    require(can_send_bulk_notices(actor), _("Only operations staff send notices to tenants."))
    if kind not in NoticeKind.values:
        raise DomainError(_("Choose the kind of notice."), field="kind")
    title = _text(title, field="title", missing=_("Give the notice a title."), limit=TITLE_MAX)
    message = _text(message, field="message", missing=_("Write the message to the tenants."), limit=MESSAGE_MAX)
    floor, business_type = (floor or "").strip()[:10], (business_type or "").strip()[:100]
    audience = list(notice_audience(floor=floor, business_type=business_type).prefetch_related("contacts"))
    if not audience:
        raise DomainError(_("No current tenant matches this audience."), field="floor")
    from ..tasks_visits import send_bulk_notice

    with transaction.atomic():
        notice = BulkNotice(
            kind=kind,
            title=title,
            message=message,
            floor=floor,
            business_type=business_type,
            sent_by=actor,
            sent_at=timezone.now(),
        )
        notice._history_user = actor
        notice.save()
        rows = []
        for tenant in audience:
            contact = main_contact(tenant)
            email = (contact.email or "").strip() if contact else ""
            reason = "" if email else (NO_EMAIL if contact else NO_CONTACT)
            rows.append(
                BulkNoticeDelivery(
                    notice=notice,
                    tenant=tenant,
                    contact=contact,
                    contact_name=contact.name if contact else "",
                    email=email,
                    failed_reason=reason,
                )
            )
        BulkNoticeDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        enqueue_on_commit(send_bulk_notice, notice.pk)
    return notice


def _email(notice: BulkNotice, delivery: BulkNoticeDelivery) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(shop)s %(name)s:\n\n%(message)s\n\n%(sender)s") % {
            "shop": delivery.tenant.shop_name,
            "name": delivery.contact_name,
            "message": notice.message,
            "sender": _("The operations department"),
        }
    return notice.title, body


def bulk_notice_deliver(*, notice_id: int) -> int:
    """E-mail every undelivered tenant of a notice once; returns how many were e-mailed now.

    A row is claimed and re-read under its lock (skip locked: another worker has it), e-mailed,
    and marked delivered in the same transaction. An address the mail server refuses is
    recorded as failed; any other error leaves the row undelivered for the job's retry."""
    notice = BulkNotice.objects.get(pk=notice_id)
    pending = list(
        BulkNoticeDelivery.objects.filter(notice_id=notice_id, delivered_at__isnull=True, failed_reason="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in pending:
        with transaction.atomic():
            delivery = (
                BulkNoticeDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("tenant")
                .filter(pk=pk, delivered_at__isnull=True, failed_reason="")
                .first()
            )
            if delivery is None:
                continue
            subject, body = _email(notice, delivery)
            try:
                send_mail(
                    subject=subject,
                    message=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[delivery.email],
                )
            except smtplib.SMTPRecipientsRefused as error:
                delivery.failed_reason = str(error)[:200] or "refused"
                delivery.save(update_fields=["failed_reason"])
                continue
            delivery.delivered_at = timezone.now()
            delivery.save(update_fields=["delivered_at"])
        sent += 1
    return sent


def bulk_notices_send_pending(*, now=None) -> int:
    """The e-mails of recent notices whose job could not be queued or gave up (JOB-09)."""
    since = (now or timezone.now()) - timedelta(days=SWEEP_DAYS)
    notice_ids = (
        BulkNoticeDelivery.objects.filter(notice__sent_at__gte=since, delivered_at__isnull=True, failed_reason="")
        .order_by("notice_id")
        .values_list("notice_id", flat=True)
        .distinct()
    )
    return sum(bulk_notice_deliver(notice_id=pk) for pk in list(notice_ids))
