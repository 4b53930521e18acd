from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from crm_project.accounts.models import Department
from crm_project.core.files import UnguessableName

from .tenants import Tenant


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("24-hour hotline")
    WALK_IN = "walk_in", _("walk-in")
    ONLINE = "online", _("online")
    MEETING = "meeting", _("tenant meeting")
    SOCIAL = "social", _("forum / social media")


# TEN-11: feedback from the website, a forum or Weibo gets a reviewed public reply.
ONLINE_CHANNELS = (Channel.ONLINE, Channel.SOCIAL)


class Category(models.TextChoices):
    EMERGENCY = "emergency", _("emergency")
    REPAIR = "repair", _("repair")
    COMPLAINT = "complaint", pgettext_lazy("request category", "complaint")
    INQUIRY = "inquiry", _("inquiry")
    SUGGESTION = "suggestion", _("suggestion")


class Status(models.TextChoices):
    """TEN-02, in order. A tenant who is not satisfied reopens a resolved request: it goes back
    to `responded` and its round (`reopen_count`) goes up."""

    LOGGED = "logged", pgettext_lazy("request status", "logged")
    ASSIGNED = "assigned", pgettext_lazy("request status", "assigned")
    RESPONDED = "responded", pgettext_lazy("request status", "responded")
    RESOLVED = "resolved", pgettext_lazy("request status", "resolved")
    CONFIRMED = "confirmed", pgettext_lazy("request status", "confirmed by the tenant")


OPEN_STATUSES = (Status.LOGGED, Status.ASSIGNED, Status.RESPONDED, Status.RESOLVED)
UNRESOLVED_STATUSES = (Status.LOGGED, Status.ASSIGNED, Status.RESPONDED)

_USER = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class TenantRequest(models.Model):
    """One line of the request log 诉求(需求)记录表 (TEN-02) with its targets (TEN-03)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="requests")
    unit = models.CharField(_("unit number"), max_length=20, help_text=_("the tenant's unit when it was logged"))
    description = models.TextField(_("description"))
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department assigned"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="tenant_requests",
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LOGGED)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    logged_at = models.DateTimeField(_("logged at"))
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("logged by"), **_USER)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), **_USER)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responded by"), **_USER)
    response_note = models.TextField(_("response"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), **_USER)
    resolution = models.TextField(_("resolution"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmation recorded by"), **_USER)
    satisfied = models.BooleanField(_("tenant satisfied"), null=True, blank=True)
    confirmation_note = models.TextField(_("tenant's confirmation"), blank=True)
    # TEN-05: a suggestion raised at a tenant meeting (channel `meeting`) names its meeting.
    meeting = models.ForeignKey(
        "tenants.TenantMeeting", verbose_name=_("tenant meeting"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="suggestions",
    )  # fmt: skip
    complaint = models.OneToOneField(
        "complaints.Complaint", verbose_name=_("complaint ticket"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="tenant_request",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant request 诉求")
        verbose_name_plural = _("tenant requests")
        ordering = ["-logged_at", "-pk"]
        indexes = [
            # The desk page and the escalation job read only the open requests.
            models.Index(
                fields=["response_due_at"], name="request_open_response_idx", condition=~Q(status="confirmed")
            ),
            models.Index(fields=["resolve_due_at"], name="request_open_resolve_idx", condition=~Q(status="confirmed")),
            models.Index(fields=["logged_at", "id"], name="request_logged_idx"),
            models.Index(fields=["department", "status"], name="request_department_idx"),
            models.Index(fields=["tenant", "logged_at"], name="request_tenant_idx"),
            # The dashboard's requests completed in a period (DSH-01).
            models.Index(fields=["resolved_at"], name="request_resolved_idx", condition=Q(resolved_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_online(self) -> bool:
        return self.channel in ONLINE_CHANNELS


class RequestEvent(models.Model):
    """Every step of a request with who and when (TEN-02)."""

    request = models.ForeignKey(TenantRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), **_USER)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return f"{self.request} → {self.to_status}"


class RequestPhoto(models.Model):
    """A photo of what the tenant reports (TEN-02); the type is read from the content."""

    request = models.ForeignKey(TenantRequest, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=UnguessableName("tenant-requests"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), **_USER)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request photo")
        verbose_name_plural = _("request photos")
        ordering = ["request", "pk"]

    def __str__(self) -> str:
        return self.original_name


class RequestEscalation(models.Model):
    """A breach escalated, once per request, target and round (TEN-03, JOB-06, JOB-09): the
    unique constraint decides when two workers run at once."""

    class Target(models.TextChoices):
        RESPONSE = "response", _("response")
        RESOLUTION = "resolution", _("resolution")

    request = models.ForeignKey(TenantRequest, on_delete=models.CASCADE, related_name="escalations")
    target = models.CharField(_("target"), max_length=10, choices=Target.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request escalation")
        verbose_name_plural = _("request escalations")
        constraints = [
            models.UniqueConstraint(fields=["request", "target", "round"], name="request_escalate_each_breach_once")
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.target}"


class OnlineReply(models.Model):
    """The public reply to online feedback (TEN-11): drafted, reviewed by the department
    concerned, then published. Changing the text after the review needs a new review."""

    request = models.OneToOneField(TenantRequest, on_delete=models.CASCADE, related_name="online_reply")
    text = models.TextField(_("public reply"))
    drafted_at = models.DateTimeField(_("drafted at"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), **_USER)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), **_USER)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), **_USER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public reply")
        verbose_name_plural = _("public replies")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(reviewed_at__isnull=False),
                name="reply_reviewed_before_published",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} · {_('public reply')}"
