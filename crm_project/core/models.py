from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .files import UnguessableName


class ExportLog(models.Model):
    """Who exported which list, with which filter, how many rows (CUS-07)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT)
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)
    name = models.CharField(_("export"), max_length=100)
    query = models.TextField(_("filter"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("export log entry 导出记录")
        verbose_name_plural = _("export log")
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.name} · {self.user} · {self.row_count}"


class SettingsRow(models.Model):
    """An app's one settings record, editable in the admin; `load()` creates it on first use."""

    class Meta:
        abstract = True

    @classmethod
    def load(cls):
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class RateLimitCount(models.Model):
    """How many requests one client address made in one window of a rate limit, counted here
    only while the cache (Redis) cannot count them (see crm_project/core/ratelimits.py)."""

    key = models.CharField(_("limit and address"), max_length=200)
    window_ends_at = models.DateTimeField(_("window ends at"), db_index=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate-limit count")
        verbose_name_plural = _("rate-limit counts")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_ends_at"], name="ratelimit_count_one_per_window"),
        ]

    def __str__(self) -> str:
        return f"{self.key} · {self.count}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExportJob(models.Model):
    """An export too large for the request (EXPORT_BACKGROUND_ROWS), written by a worker: the
    list's address and filter are kept, and the worker builds the very queryset the page
    shows, for the same user (ORG-02, CUS-07). Only its user may download the file."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    name = models.CharField(_("export"), max_length=100)
    path = models.CharField(_("list"), max_length=300)
    query = models.TextField(_("filter"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=UnguessableName("exports"), blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("background export")
        verbose_name_plural = _("background exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "finished_at"], name="export_job_sweep_idx")]

    def __str__(self) -> str:
        return f"{self.name} · {self.user} · {self.get_status_display()}"

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
