from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .messages import render


class EmailState(models.TextChoices):
    """Where a notification's e-mail is in the outbox (JOB-09, JOB-10)."""

    NONE = "none", _("no e-mail")
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    """One message to one person, in the inbox and by e-mail (JOB-10).

    `key` says what the message is about (e.g. "statement-reminder:2026-10:rep1"); its
    unique constraint is what makes every job idempotent: a job that runs twice, or is
    retried after a crash, cannot notify the same person about the same thing twice (JOB-09).

    The row is also the e-mail's outbox entry: `email_state` says whether it went out, and
    `email_due_at` when it may next be tried — for a pending e-mail its next attempt, for one
    being sent the moment its worker's claim lapses (see notifications/outbox.py).
    """

    key = models.CharField(_("de-duplication key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # The text above is as it read for the recipient when the message was made (kept for old
    # rows, search and the admin); what is shown is rendered from these in the reader's
    # language (notifications/messages.py).
    title_message = models.JSONField(_("title as message id"), null=True, blank=True)
    body_message = models.JSONField(_("message as message id"), null=True, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(_("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_due_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)
    email_last_error = models.TextField(_("last e-mail error"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification 通知")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["email_due_at"],
                condition=models.Q(email_state__in=["pending", "sending"]),
                name="notification_outbox_idx",
            ),
            # /healthz's "oldest unsent e-mail": one row read from the start of this index.
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_state__in=["pending", "sending"]),
                name="notification_unsent_age_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def rendered_title(self) -> str:
        """The title in the active language (JOB-10)."""
        return render(self.title_message, self.params, fallback=self.title)

    @property
    def rendered_body(self) -> str:
        """The message in the active language (JOB-10)."""
        return render(self.body_message, self.params, fallback=self.body)
