from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import DEPARTMENT_SCOPE_ROLES, Role


class Department(models.Model):
    """A department of the company 部门 (ORG-01)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department 部门")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


class User(AbstractUser):
    """A person who signs in. Roles are auth groups named by `Role` codes (ORG-01)."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    superior = models.ForeignKey(
        "self",
        verbose_name=_("direct superior"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Approves this user's expense applications (EXP-17)."),
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user 用户")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        names = {group.name for group in self.groups.all()}
        return frozenset(role for role in Role if role.value in names)

    @cached_property
    def heads_a_department(self) -> bool:
        """Heading follows Department.head, not a role (ORG-03); asked once per request."""
        return self.headed_departments.exists()

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def sees_department(self) -> bool:
        return bool(self.roles & DEPARTMENT_SCOPE_ROLES)

    @property
    def is_management(self) -> bool:
        return Role.MANAGEMENT in self.roles


class ApiToken(models.Model):
    """A key for the REST API 接口令牌 (ORG-02). Only its SHA-256 is stored: the key itself is
    shown once, when it is issued. It expires after `API_TOKEN_TTL_DAYS` and can be revoked by
    its owner or an administrator; a deactivated user's tokens stop working."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key (SHA-256)"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token 接口令牌")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now) -> bool:
        return self.expires_at <= now
