from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm_project.core.files import UnguessableName

from .suppliers import Supplier


class DocumentKind(models.TextChoices):
    # The five documents of the general survey (SUP-03) …
    HISTORY = "history", _("company history 企业沿革")
    PROFILE = "profile", _("company profile 企业概况")
    FINANCIALS = "financials", _("latest annual financial statements 最新年度决算表")
    PRODUCT_GUIDE = "product_guide", _("product guide 产品指南")
    CATALOGUE = "catalogue", _("product catalogue 产品目录")
    # … and the two signed contracts (SUP-06).
    SUPPLY_CONTRACT = "supply_contract", _("supply contract")
    QUALITY_CONTRACT = "quality_contract", _("quality-assurance contract")


SURVEY_DOCUMENTS = (
    DocumentKind.HISTORY,
    DocumentKind.PROFILE,
    DocumentKind.FINANCIALS,
    DocumentKind.PRODUCT_GUIDE,
    DocumentKind.CATALOGUE,
)
CONTRACTS = (DocumentKind.SUPPLY_CONTRACT, DocumentKind.QUALITY_CONTRACT)


class SupplierDocument(models.Model):
    """One version of one of a supplier's documents (SUP-03, SUP-06, SUP-07). A new upload of
    a kind adds the next version; no version is ever replaced or deleted."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=UnguessableName("suppliers"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        ordering = ["supplier", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "kind", "version"], name="supplier_document_version_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["supply_contract", "quality_contract"], signed_on__isnull=False)
                | (~Q(kind__in=["supply_contract", "quality_contract"]) & Q(signed_on__isnull=True)),
                name="supplier_contract_has_signing_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def is_contract(self) -> bool:
        return self.kind in CONTRACTS
