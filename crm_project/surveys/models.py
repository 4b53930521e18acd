from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from crm_project.core.models import SettingsRow
from customers.models import Contact, Customer
from tenants.models import Tenant, TenantContact


class SurveyAudience(models.TextChoices):
    CUSTOMERS = "customers", _("customer contacts")
    TENANTS = "tenants", _("tenants")


class QuestionKind(models.TextChoices):
    SCORE = "score", _("score 1–5")
    CHOICE = "choice", _("single choice")
    TEXT = "text", _("free text")


class SurveySettings(SettingsRow):
    """SUR-01 … SUR-03 settings: link lifetime, the schedule of rounds and the low score."""

    link_days = models.PositiveSmallIntegerField(_("links valid for (days)"), default=30)
    customer_round_months = models.PositiveSmallIntegerField(_("customer rounds every (months)"), default=3)
    tenant_round_months = models.PositiveSmallIntegerField(_("tenant rounds every (months)"), default=6)
    low_score = models.PositiveSmallIntegerField(_("a score at or below this opens a follow-up"), default=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(_("Survey settings"))


class Survey(models.Model):
    """A questionnaire (SUR-01)."""

    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(
        _("audience"), max_length=10, choices=SurveyAudience.choices, default=SurveyAudience.CUSTOMERS
    )
    introduction = models.TextField(_("introduction"), blank=True)
    scheduled = models.BooleanField(_("sent on schedule"), default=False, help_text=_("used by the scheduled rounds"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey 满意度调查")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("for single choice"))
    required = models.BooleanField(pgettext_lazy("survey question", "required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyRound(models.Model):
    """One sending of a survey to selected recipients (SUR-01, SUR-02)."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=100)
    period = models.CharField(
        _("period"), max_length=20, blank=True, help_text=_("e.g. 2026-Q4 for a scheduled round; unique per survey")
    )
    criteria = models.JSONField(_("recipients chosen by"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    closes_at = models.DateTimeField(_("closes at"))
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "period"], condition=~Q(period=""), name="one_scheduled_round_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.name}"


class Recipient(models.Model):
    """A person a round was sent to, with their personal one-time link (SUR-01). Only the
    token's hash is stored. A customer's contact, or a tenant's, as the survey's audience is."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="recipients")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tenant_contact = models.ForeignKey(TenantContact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("link expires"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey recipient")
        verbose_name_plural = _("survey recipients")
        ordering = ["round", "name"]
        indexes = [
            # The dashboard's responses in a period (DSH-01).
            models.Index(
                fields=["responded_at"], name="recipient_responded_idx", condition=Q(responded_at__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "contact"], condition=Q(contact__isnull=False), name="one_link_per_contact_and_round"
            ),
            models.UniqueConstraint(
                fields=["round", "tenant_contact"],
                condition=Q(tenant_contact__isnull=False),
                name="one_link_per_tenant_contact_and_round",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyResponse(models.Model):
    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, related_name="response")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score or self.choice or self.text[:20]}"


class SurveyFollowUp(models.Model):
    """A low score opens a follow-up task (SUR-03): for the customer's owner, or for
    operations (the operations manager) when a tenant gave it."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="follow_up")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("survey follow-up")
        verbose_name_plural = _("survey follow-ups")
        ordering = ["done_at", "-created_at"]

    def __str__(self) -> str:
        return f"{self.customer or self.tenant} · {self.answer}"
