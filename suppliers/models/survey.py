from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm_project.accounts.models import Department

from .suppliers import Supplier


class Principle(models.IntegerChoices):
    """The six selection principles (SUP-01)."""

    QUALITY = 1, _("equipment and technology meet our quality requirements")
    DELIVERY = 2, _("can deliver on time")
    MANAGEMENT = 3, _("good management, financial strength and credit")
    COOPERATION = 4, _("cooperative attitude")
    SECRECY = 5, _("keeps commercial and technical secrets")
    COST = 6, _("cost level acceptable")


class ScoreResult(models.TextChoices):
    PASS = "pass", _("pass")
    CONDITIONAL = "conditional", _("conditional")
    FAIL = "fail", _("fail")


class SupplierScore(models.Model):
    """One principle scored by the survey team, with a note (SUP-01)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="scores")
    principle = models.PositiveSmallIntegerField(_("principle"), choices=Principle.choices)
    result = models.CharField(_("result"), max_length=12, choices=ScoreResult.choices)
    note = models.TextField(_("note"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selection score")
        verbose_name_plural = _("selection scores")
        ordering = ["supplier", "principle"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "principle"], name="supplier_principle_scored_once"),
            models.CheckConstraint(condition=Q(principle__gte=1, principle__lte=6), name="supplier_principle_1_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.principle}: {self.result}"


class SurveyFinding(models.Model):
    """A department's findings and score from the on-site survey, signed by its own staff
    (SUP-04). One per department; signing again replaces it, and the history keeps the old."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="findings")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("findings"))
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("on-site survey finding")
        verbose_name_plural = _("on-site survey findings")
        ordering = ["supplier", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "department"], name="supplier_finding_per_department"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="supplier_finding_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.department}"
