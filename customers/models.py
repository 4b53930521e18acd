"""Customers 客户 (DOMAIN §2): records, contacts, grading, interactions, visits, purchases,
loyalty. Every business record keeps an audit history (ORG-03)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from crm_project.core.files import UnguessableName
from crm_project.core.models import SettingsRow

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 2}


class Grade(models.TextChoices):
    A = "A", _("A — large contribution, long and stable relationship")
    B = "B", _("B — some contribution, good relationship")
    C = "C", _("C — average contribution, short relationship")
    D = "D", _("D — small contribution, loose relationship")


class CustomerKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    INDIVIDUAL = "individual", _("individual")


class CustomerSize(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    SOLE = "sole", _("sole proprietor 个体工商户")


class RegionScope(models.TextChoices):
    DOMESTIC = "domestic", _("domestic")
    INTERNATIONAL = "international", _("international")


class CustomerStatus(models.TextChoices):
    POTENTIAL = "potential", _("potential 潜在")
    ACTIVE = "active", _("active")
    CHURNED = "churned", _("churned 流失")
    BLACKLISTED = "blacklisted", _("blacklisted")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("under 30")
    FROM_30 = "30_39", _("30–39")
    FROM_40 = "40_49", _("40–49")
    FROM_50 = "50_59", _("50–59")
    OVER_60 = "60_plus", _("60 and over")


class Industry(models.Model):
    """The editable industry list (CUS-02)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("industry 行业")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


class CustomerSettings(SettingsRow):
    """The one settings record of this app, editable in the admin: grading weights and
    thresholds (CUS-03), visit frequencies (CUS-09), new/old (CUS-02), loyalty (CUS-13)."""

    new_customer_years = models.PositiveSmallIntegerField(_("a customer is new for (years)"), default=1)
    # CUS-03 grading
    weight_amount = models.PositiveSmallIntegerField(_("weight: 12-month purchases"), default=40)
    weight_collection = models.PositiveSmallIntegerField(_("weight: collection record"), default=25)
    weight_age = models.PositiveSmallIntegerField(_("weight: relationship age"), default=20)
    weight_complaints = models.PositiveSmallIntegerField(_("weight: complaints"), default=15)
    amount_for_full_score = models.DecimalField(
        _("12-month net sales for a full score (yuan)"), default=Decimal("1000000.00"), **MONEY
    )
    years_for_full_score = models.PositiveSmallIntegerField(_("relationship years for a full score"), default=5)
    complaints_for_zero_score = models.PositiveSmallIntegerField(_("complaints for a zero score"), default=5)
    threshold_a = models.PositiveSmallIntegerField(_("score for grade A"), default=75)
    threshold_b = models.PositiveSmallIntegerField(_("score for grade B"), default=55)
    threshold_c = models.PositiveSmallIntegerField(_("score for grade C"), default=35)
    # CUS-09 visit frequency, in months between visits
    visit_months_a = models.PositiveSmallIntegerField(_("visit every … months, grade A"), default=1)
    visit_months_b = models.PositiveSmallIntegerField(_("visit every … months, grade B"), default=2)
    visit_months_c = models.PositiveSmallIntegerField(_("visit every … months, grade C"), default=3)
    visit_months_d = models.PositiveSmallIntegerField(_("visit every … months, grade D"), default=6)
    # CUS-13 loyalty
    points_per_yuan = models.DecimalField(
        _("loyalty points per yuan of net sales"), max_digits=8, decimal_places=4, default=Decimal("0.0100")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer settings")
        verbose_name_plural = _("customer settings")

    def __str__(self) -> str:
        return str(_("Customer settings"))

    def visit_months(self, grade: str) -> int:
        return {"A": self.visit_months_a, "B": self.visit_months_b, "C": self.visit_months_c}.get(
            grade, self.visit_months_d
        )


def search_characters(expression) -> Func:
    """`string_to_array(text, NULL)`: the characters of a text as an array — IMMUTABLE, so it can
    be indexed (GIN), and `@>` then finds the rows holding every character of a short term."""
    return Func(expression, Value(None), function="string_to_array", output_field=ArrayField(models.TextField()))


class Customer(models.Model):
    """An organisation or an individual we sell to (CUS-01, CUS-02, CUS-11)."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("e.g. the ERP's customer number"))
    kind = models.CharField(_("kind"), max_length=20, choices=CustomerKind.choices, default=CustomerKind.ORGANISATION)
    name = models.CharField(_("name"), max_length=200)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, default=Grade.D)
    status = models.CharField(
        _("status"), max_length=20, choices=CustomerStatus.choices, default=CustomerStatus.POTENTIAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="customers"
    )
    # organisation
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, null=True, blank=True, related_name="customers"
    )
    size = models.CharField(_("size"), max_length=20, choices=CustomerSize.choices, blank=True)
    region_scope = models.CharField(
        _("region"), max_length=20, choices=RegionScope.choices, default=RegionScope.DOMESTIC
    )
    region = models.CharField(_("province or country"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=60, blank=True)
    # individual
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    # relationship and needs
    first_deal_date = models.DateField(_("first deal"), null=True, blank=True)
    needs = models.TextField(_("products and services of interest"), blank=True)
    budget = models.DecimalField(_("budget (yuan)"), null=True, blank=True, **MONEY)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Kept by the database (trigger of migration 0009, whoever writes): when the customer turned
    # churned — set as the status becomes churned, kept while it stays so, cleared when it
    # leaves. The dashboard's churn (DSH-01) counts a period's churned customers from it.
    churned_at = models.DateTimeField(_("churned at"), null=True, blank=True, editable=False)
    # Name, code, phones and the contacts' names and phones, for one indexed text search.
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at", "churned_at"])

    class Meta:
        verbose_name = _("customer 客户")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["search_text"], name="customer_search_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["owner", "grade", "status"], name="customer_owner_grade_idx"),
            models.Index(fields=["grade", "status"], name="customer_grade_status_idx"),
            models.Index(fields=["name"], name="customer_name_idx"),
            # The pickers (crm_project/core/pickers.py): a rep's own customers in name order,
            # and the characters of the search text, which serve 1- and 2-character terms
            # (trigrams need three) — "龘" among 100,000 customers in a millisecond.
            models.Index(
                fields=["owner", "name", "id"], name="customer_owner_name_idx", condition=Q(archived_at__isnull=True)
            ),
            GinIndex(search_characters(F("search_text")), name="customer_search_chars"),
            # The list's hot shapes over the customers in use: counting a filter by grade and
            # status from the index alone (the owner column answers the scope), and a whole
            # department in name order, continued by keyset from (name, id).
            models.Index(
                fields=["grade", "status", "owner"],
                name="customer_live_grade_idx",
                condition=Q(archived_at__isnull=True),
            ),
            models.Index(fields=["name", "id"], name="customer_live_name_idx", condition=Q(archived_at__isnull=True)),
            # The dashboard's churn (DSH-01): the customers turned churned in a period, by owner.
            models.Index(fields=["churned_at", "owner"], name="customer_churned_idx", condition=Q(status="churned")),
            # The department's customers as a join of the records hanging off them (a month's
            # visits on the dashboard, DSH-01), read from the index alone.
            models.Index(fields=["owner", "id"], name="customer_owner_pk_idx"),
            # The few archived customers (whose planned visits are not overdue, CUS-09).
            models.Index(fields=["id"], name="customer_archived_idx", condition=Q(archived_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ContactRole(models.TextChoices):
    PURCHASER = "purchaser", _("purchaser 采购员")
    PURCHASING_HEAD = "purchasing_head", _("purchasing head 采购部领导")
    EXECUTIVE = "executive", _("executive in charge 主管采购的公司领导")
    OTHER = "other", _("other")


class Contact(models.Model):
    """A customer related person 客户相关人员 (CUS-04). Fee shares change only through an
    approved change request (CUS-05)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    role = models.CharField(_("role at the customer"), max_length=20, choices=ContactRole.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    receives_fee = models.BooleanField(_("receives rapport fees"), default=False)
    fee_share = models.DecimalField(
        _("fee share (%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact person 客户相关人员")
        verbose_name_plural = _("contact persons")
        ordering = ["customer", "-receives_fee", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fee_share__gte=0, fee_share__lte=100), name="contact_fee_share_percent"),
            models.CheckConstraint(
                condition=Q(receives_fee=True) | Q(fee_share=0), name="contact_share_only_if_receiving"
            ),
        ]
        indexes = [models.Index(fields=["customer", "active"], name="contact_customer_active_idx")]

    def __str__(self) -> str:
        return self.name


class GradeChange(models.Model):
    """Every grade change with who, when, from, to and why (CUS-03)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="grade_changes"
    )
    from_grade = models.CharField(_("from"), max_length=1, choices=Grade.choices)
    to_grade = models.CharField(_("to"), max_length=1, choices=Grade.choices)
    proposed_grade = models.CharField(_("proposed"), max_length=1, choices=Grade.choices, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grade change 等级变更")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-pk"]
        # The dashboard (DSH-01): a period's changes, and the grades as they were at its end.
        indexes = [models.Index(fields=["changed_at", "customer"], name="gradechange_changed_idx")]

    def __str__(self) -> str:
        return f"{self.customer}: {self.from_grade} → {self.to_grade}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the manager")
    MANAGER_APPROVED = "manager_approved", _("waiting for the director")
    APPROVED = "approved", _("approved")
    RECORDED = "recorded", _("recorded by the clerk")
    REJECTED = "rejected", _("rejected")


class ContactChangeRequest(models.Model):
    """附表5 月客户相关人员变更申请表 (CUS-05): filed by the rep, approved by the sales
    manager then the sales director, recorded by the clerk. Nothing changes until approved."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contact_change_requests"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    reason = models.TextField(_("reason for the change"))
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by (manager)"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    manager_at = models.DateTimeField(_("manager approved at"), null=True, blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by (director)"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    director_at = models.DateTimeField(_("director approved at"), null=True, blank=True)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by (clerk)"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    clerk_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rejected by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact change request 附表5")
        verbose_name_plural = _("contact change requests")
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.customer} · {self.filed_at:%Y-%m-%d}"


class ContactChangeAction(models.TextChoices):
    ADD = "add", _("add a fee-receiving contact")
    REMOVE = "remove", _("remove a fee-receiving contact")
    SHARE = "share", _("change a share")


class ContactChangeItem(models.Model):
    """One line of a change request: add a contact, remove one, or change a share."""

    request = models.ForeignKey(ContactChangeRequest, on_delete=models.CASCADE, related_name="items")
    action = models.CharField(_("change"), max_length=10, choices=ContactChangeAction.choices)
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100, blank=True)
    role = models.CharField(_("role at the customer"), max_length=20, choices=ContactRole.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    old_share = models.DecimalField(_("share before (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    new_share = models.DecimalField(_("share after (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("change request line")
        verbose_name_plural = _("change request lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.name or self.contact}"


class CoreDataChange(models.Model):
    """A rep's change to a customer's name, legal representative, bank details or grade,
    waiting for the manager's confirmation (CUS-06)."""

    FIELDS = ("name", "legal_representative", "bank_name", "bank_account", "grade")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="core_changes"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    old_values = models.JSONField(_("before"), default=dict)
    new_values = models.JSONField(_("after"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("core data change")
        verbose_name_plural = _("core data changes")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One pending change per customer keeps the review simple and unambiguous.
            models.UniqueConstraint(
                fields=["customer"], condition=Q(status="pending"), name="one_pending_core_change_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {', '.join(self.new_values)}"


class InteractionKind(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    WECHAT = "wechat", _("WeChat")
    MEETING = "meeting", _("meeting")
    VISIT = "visit", _("visit")


class Interaction(models.Model):
    """沟通记录 (CUS-08)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="interactions"
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("channel"), max_length=10, choices=InteractionKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    summary = models.TextField(_("summary"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    follow_up_date = models.DateField(_("follow up on"), null=True, blank=True)
    # Kept by the database (triggers of migration 0007, whoever writes): a follow-up date is set
    # and nothing has happened with the customer since — no later interaction, no visit
    # completed after it. The lists of follow-ups due read it from a partial index instead of
    # looking for a later interaction row by row.
    follow_up_open = models.BooleanField(_("follow-up open"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["follow_up_open"])

    class Meta:
        verbose_name = _("interaction 沟通记录")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-occurred_at"], name="interaction_customer_idx"),
            # The interactions list, newest first, across a department's million rows.
            models.Index(fields=["-occurred_at", "-id"], name="interaction_occurred_idx"),
            # Follow-ups due (the list filter, a rep's "My work"): only the rows with a date.
            models.Index(
                fields=["customer", "follow_up_date"],
                name="interaction_follow_up_idx",
                condition=Q(follow_up_date__isnull=False),
            ),
            # The open ones: follow-ups due (the list filter, "My work", the digest).
            models.Index(
                fields=["follow_up_date", "customer"],
                name="interaction_open_follow_up_idx",
                condition=Q(follow_up_open=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.get_kind_display()} · {self.occurred_at:%Y-%m-%d}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Visit(models.Model):
    """A planned visit 拜访计划, completed with a visit report 拜访报告 (CUS-09)."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="visits"
    )
    planned_date = models.DateField(_("planned for"))
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    people_met = models.TextField(_("people met"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    next_actions = models.TextField(_("next actions"), blank=True)
    generated = models.BooleanField(_("planned by the system"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit 拜访")
        verbose_name_plural = _("visits")
        ordering = ["planned_date", "pk"]
        indexes = [
            models.Index(fields=["status", "planned_date"], name="visit_status_date_idx"),
            models.Index(fields=["customer", "status"], name="visit_customer_status_idx"),
            # The dashboard's visit completion (DSH-01): a period's visits by visitor and status,
            # from the index alone (the customer column joins the scope).
            models.Index(fields=["planned_date", "owner", "status", "customer"], name="visit_planned_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="completed") | (Q(completed_at__isnull=False) & ~Q(findings="")),
                name="completed_visit_has_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.planned_date:%Y-%m-%d}"


class Product(models.Model):
    """A product 品种 (CUS-10); rapport-fee standards are set per product (EXP-02)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product 品种")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PurchaseSource(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    IMPORT = "import", _("Excel import")
    API = "api", _("API")


class Purchase(models.Model):
    """采购记录 (CUS-10): per customer, month and product. Net sales 纯销 = amount − returns."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="purchases"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="purchases")
    month = models.DateField(_("month"), help_text=_("the first day of the month"))
    quantity = models.DecimalField(_("quantity"), default=ZERO, **QUANTITY)
    amount = models.DecimalField(_("amount (yuan)"), default=ZERO, **MONEY)
    returned_quantity = models.DecimalField(_("quantity returned"), default=ZERO, **QUANTITY)
    returned_amount = models.DecimalField(_("amount returned (yuan)"), default=ZERO, **MONEY)
    collected_amount = models.DecimalField(_("amount collected 回款 (yuan)"), default=ZERO, **MONEY)
    external_ref = models.CharField(_("external reference"), max_length=100, null=True, blank=True, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=PurchaseSource.choices, default=PurchaseSource.MANUAL)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("purchase 采购记录")
        verbose_name_plural = _("purchases")
        ordering = ["-month", "customer", "product"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "product", "month"], name="one_purchase_row_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="purchase_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0, amount__gte=0, returned_quantity__gte=0, returned_amount__gte=0)
                & Q(collected_amount__gte=0),
                name="purchase_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("quantity"), returned_amount__lte=F("amount")),
                name="purchase_returns_within_sales",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-month"], name="purchase_customer_month_idx")]

    def __str__(self) -> str:
        return f"{self.customer} · {self.product} · {self.month:%Y-%m}"

    @property
    def net_quantity(self) -> Decimal:
        return self.quantity - self.returned_quantity

    @property
    def net_sales(self) -> Decimal:
        return self.amount - self.returned_amount


class LoyaltyKind(models.TextChoices):
    EARNED = "earned", _("earned")
    REDEEMED = "redeemed", _("redeemed")
    ADJUSTED = "adjusted", _("adjusted")


class LoyaltyEntry(models.Model):
    """One line of the loyalty ledger (CUS-13). The balance is the sum; never stored."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="loyalty_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LoyaltyKind.choices)
    points = models.IntegerField(_("points"))
    purchase = models.ForeignKey(
        Purchase, verbose_name=_("purchase"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("loyalty ledger entry")
        verbose_name_plural = _("loyalty ledger")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="redeemed") | Q(points__lt=0), name="loyalty_redemption_is_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.points:+d}"


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("customers with contacts")
    PURCHASES = "purchases", _("purchases")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("checking")
    CHECKED = "checked", _("checked — waiting for confirmation")
    IMPORTING = "importing", _("importing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class ImportBatch(models.Model):
    """An uploaded Excel file: checked row by row, written only once confirmed (CUS-12)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=UnguessableName("imports"))
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    good_rows = models.PositiveIntegerField(_("good rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    # Decided at upload by what was read, so the import of a confirmed file runs where its
    # check did.
    in_background = models.BooleanField(_("in the background"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import 导入")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
