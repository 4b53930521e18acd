"""Importing customers with their contact persons from Excel (CUS-01, CUS-04, CUS-12).

One row per contact: the customer's columns are repeated on each of its rows (they may be
left blank after the first). Rows with the same code — or, without a code, the same name —
are one customer. A customer is imported with all its rows or not at all, and its
fee-receiving contacts' shares add up to 100 % (CUS-05). Imported customers belong to the
uploader, or to the rep named in `owner` (the sales manager, director or clerk only).
The import only creates: a code already in use is an error.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role

from ..models import (
    AgeBand,
    Contact,
    ContactRole,
    Customer,
    CustomerKind,
    CustomerSize,
    CustomerStatus,
    Gender,
    Industry,
    RegionScope,
)
from ..permissions import can_create_customer
from ..services.search import customer_refresh_search_text
from . import CheckResult, Column, cell_text, error, parse_date

HUNDRED = Decimal("100.00")
CENT = Decimal("0.01")
CHUNK = 500
# Earlier dates are typing errors (or an Excel serial number gone wrong), not history.
EARLIEST_DATE = date(1900, 1, 1)

COLUMNS = (
    Column("code", "客户编码", "customer code", False, "",
           gettext_lazy("Blank for an automatic code. A code already in use is refused.")),
    Column("name", "客户名称", "customer name", True, "示例科技有限公司",
           gettext_lazy("Rows with the same code (or, without a code, the same name) are one customer.")),
    Column("kind", "客户类型", "kind", False, "organisation",
           gettext_lazy("organisation (单位) or individual (个人).")),
    Column("industry", "行业", "industry", False, "manufacturing",
           gettext_lazy("An industry code or name (list below).")),
    Column("size", "规模", "size", False, "medium", "large / medium / small / sole (大型/中型/小型/个体工商户)"),
    Column("status", "状态", "status", False, "potential",
           "potential / active / churned / blacklisted (潜在/活跃/流失/黑名单)"),
    Column("region_scope", "国内国际", "domestic or international", False, "domestic",
           "domestic / international (国内/国际)"),
    Column("region", "省份或国家", "province or country", False, "广东"),
    Column("address", "地址", "address", False, "广州市天河区示例路1号"),
    Column("legal_representative", "法人代表", "legal representative", False, "李娜"),
    Column("phone", "电话", "phone", False, "020-88880000"),
    Column("email", "邮箱", "e-mail", False, "info@example.com"),
    Column("website", "网址", "website", False, "https://www.example.com"),
    Column("source", "来源", "source", False, "展会"),
    Column("first_deal_date", "首次成交日期", "first deal", False, "2024-03-15", "YYYY-MM-DD"),
    Column("gender", "性别", "gender", False, "", gettext_lazy("Individuals: female / male / other (女/男/其他).")),
    Column("age_band", "年龄段", "age band", False, "", "under_30 / 30_39 / 40_49 / 50_59 / 60_plus"),
    Column("position", "职位", "position", False, ""),
    Column("owner", "负责人", "owner", False, "",
           gettext_lazy("A user name; blank is you. Only the sales manager, director or clerk name another rep.")),
    Column("contact_name", "联系人", "contact name", False, "张伟", gettext_lazy("One contact person per row.")),
    Column("contact_role", "联系人角色", "contact role", False, "purchaser",
           "purchaser / purchasing_head / executive / other (采购员/采购部领导/主管采购的公司领导/其他)"),
    Column("contact_phone", "联系人电话", "contact phone", False, "13800000000"),
    Column("contact_wechat", "联系人微信", "contact WeChat", False, "zhangwei_wx"),
    Column("contact_email", "联系人邮箱", "contact e-mail", False, ""),
    Column("contact_birthday", "联系人生日", "contact birthday", False, "1985-06-01", "YYYY-MM-DD"),
    Column("receives_fee", "领取客情费", "receives fees", False, "yes", "yes / no (是/否)"),
    Column("fee_share", "客情费比例", "fee share (%)", False, 100,
           gettext_lazy("The fee-receiving contacts of a customer add up to 100.")),
)  # fmt: skip

CUSTOMER_KEYS = tuple(column.key for column in COLUMNS if not column.key.startswith(("contact_", "receives", "fee")))
CONTACT_KEYS = tuple(column.key for column in COLUMNS if column.key not in CUSTOMER_KEYS)
TEXT_FIELDS = ("region", "address", "legal_representative", "phone", "source", "position")


def _choices(choices, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Accept the stored value, the English label and the Chinese words for each choice."""
    mapping: dict[str, str] = {}
    with translation.override("en"):
        for value, label in choices:
            names = [value, str(label), *extra.get(value, ())]
            names += [word for word in str(label).split() if not word.isascii()]
            for name in names:
                mapping.setdefault(name.strip().lower(), value)
    return mapping


KINDS = _choices(
    CustomerKind.choices, {"organisation": ("organization", "单位", "企业", "公司", "机构"), "individual": ("个人",)}
)
SIZES = _choices(
    CustomerSize.choices,
    {"large": ("大", "大型"), "medium": ("中", "中型"), "small": ("小", "小型"), "sole": ("个体", "sole proprietor")},
)
STATUSES = _choices(CustomerStatus.choices, {"active": ("活跃", "合作中"), "blacklisted": ("黑名单",)})
SCOPES = _choices(RegionScope.choices, {"domestic": ("国内",), "international": ("国际", "境外")})
GENDERS = _choices(Gender.choices, {"female": ("女",), "male": ("男",), "other": ("其他",)})
AGE_BANDS = _choices(
    AgeBand.choices,
    {
        "under_30": ("<30", "30以下"),
        "30_39": ("30-39",),
        "40_49": ("40-49",),
        "50_59": ("50-59",),
        "60_plus": ("60+", "60以上"),
    },
)
ROLES = _choices(
    ContactRole.choices, {"purchasing_head": ("采购负责人",), "executive": ("公司领导",), "other": ("其他",)}
)
YES = {"yes", "y", "true", "1", "是", "√", "✓"}
NO = {"no", "n", "false", "0", "否", "x", "×"}  # fmt: skip


@dataclass
class _Row:
    number: int
    raw: dict
    customer: dict = field(default_factory=dict)
    contact: dict | None = None
    errors: list[dict] = field(default_factory=list)

    def flag(self, column: str, message) -> None:
        self.errors.append(error(self.number, column, message))


@dataclass
class _Group:
    key: tuple
    rows: list[_Row] = field(default_factory=list)
    owner_id: int | None = None

    @property
    def first(self) -> _Row:
        return self.rows[0]

    def bad(self) -> bool:
        return any(row.errors for row in self.rows)


class CustomerImporter:
    kind = "customers"
    columns = COLUMNS

    def may_import(self, actor) -> bool:
        return can_create_customer(actor)

    # --- one row -----------------------------------------------------------------------

    def _choice(self, row: _Row, key: str, mapping: dict, default: str = "") -> str:
        text = cell_text(row.raw.get(key))
        if not text:
            return default
        value = mapping.get(text.lower())
        if value is None:
            row.flag(key, _("“%(value)s” is not one of the allowed values (see the notes sheet).") % {"value": text})
            return default
        return value

    def _text(self, row: _Row, key: str, limit: int) -> str:
        text = cell_text(row.raw.get(key))
        if len(text) > limit:
            row.flag(key, _("Longer than %(limit)s characters.") % {"limit": limit})
        return text

    def _date(self, row: _Row, key: str):
        try:
            value = parse_date(row.raw.get(key))
        except ValueError as bad:
            row.flag(key, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": str(bad)[:20]})
            return None
        if value and value > timezone.localdate():
            row.flag(key, _("The date %(date)s is in the future.") % {"date": value.isoformat()})
        elif value and value < EARLIEST_DATE:
            row.flag(key, _("The date %(date)s is too far back.") % {"date": value.isoformat()})
        return value

    def _email(self, row: _Row, key: str) -> str:
        text = self._text(row, key, 254)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                row.flag(key, _("“%(value)s” is not an e-mail address.") % {"value": text})
        return text

    def _parse_customer(self, row: _Row, industries: dict[str, int]) -> None:
        values = row.customer
        values["code"] = self._text(row, "code", 40)
        values["name"] = self._text(row, "name", 200)
        if not values["name"]:
            row.flag("name", _("The customer name is missing."))
        values["kind"] = self._choice(row, "kind", KINDS, CustomerKind.ORGANISATION)
        industry = cell_text(row.raw.get("industry"))
        values["industry_id"] = industries.get(industry.lower()) if industry else None
        if industry and values["industry_id"] is None:
            row.flag("industry", _("Unknown industry “%(value)s”.") % {"value": industry})
        values["size"] = self._choice(row, "size", SIZES)
        values["status"] = self._choice(row, "status", STATUSES, CustomerStatus.POTENTIAL)
        values["region_scope"] = self._choice(row, "region_scope", SCOPES, RegionScope.DOMESTIC)
        values["gender"] = self._choice(row, "gender", GENDERS)
        values["age_band"] = self._choice(row, "age_band", AGE_BANDS)
        for key in TEXT_FIELDS:
            values[key] = self._text(row, key, Customer._meta.get_field(key).max_length)
        values["email"] = self._email(row, "email")
        website = self._text(row, "website", 200)
        if website and "://" not in website:
            website = f"http://{website}"
        if website:
            try:
                URLValidator()(website)
            except ValidationError:
                row.flag("website", _("“%(value)s” is not a web address.") % {"value": website})
        values["website"] = website
        values["first_deal_date"] = self._date(row, "first_deal_date")

    def _parse_contact(self, row: _Row) -> None:
        if not any(cell_text(row.raw.get(key)) for key in CONTACT_KEYS):
            return
        contact = {
            "name": self._text(row, "contact_name", 100),
            "role": self._choice(row, "contact_role", ROLES, ContactRole.OTHER),
            "phone": self._text(row, "contact_phone", 40),
            "wechat": self._text(row, "contact_wechat", 60),
            "email": self._email(row, "contact_email"),
            "birthday": self._date(row, "contact_birthday"),
        }
        if not contact["name"]:
            row.flag("contact_name", _("The contact's name is missing."))
        share_text = cell_text(row.raw.get("fee_share")).rstrip("%％").strip()
        share = Decimal("0.00")
        if share_text:
            try:
                share = Decimal(share_text)
                if not share.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                row.flag("fee_share", _("“%(value)s” is not a percentage.") % {"value": share_text[:20]})
                share = Decimal("0.00")
            # The range first: quantizing 1E+30 to the cent overflows Decimal's precision.
            if share < 0 or share > HUNDRED:
                row.flag("fee_share", _("The fee share must be between 0 and 100."))
                share = Decimal("0.00")
            elif share != share.quantize(CENT):
                row.flag("fee_share", _("“%(value)s” is not a percentage.") % {"value": share_text[:20]})
                share = Decimal("0.00")
        receives = cell_text(row.raw.get("receives_fee")).lower()
        if receives in YES:
            contact["receives_fee"] = True
        elif receives in NO:
            contact["receives_fee"] = False
        elif receives:
            row.flag("receives_fee", _("Write yes or no (是/否)."))
            contact["receives_fee"] = False
        else:
            contact["receives_fee"] = share > 0
        if contact["receives_fee"] and share <= 0:
            row.flag("fee_share", _("A fee-receiving contact needs a share above 0."))
        if not contact["receives_fee"] and share > 0:
            row.flag("fee_share", _("Only a fee-receiving contact has a share."))
        contact["fee_share"] = share.quantize(CENT) if contact["receives_fee"] else Decimal("0.00")
        row.contact = contact

    # --- the customer's rows together ----------------------------------------------------

    def _check_group(self, group: _Group) -> None:
        first = group.first
        contacts_seen: dict[str, int] = {}
        bare_row: int | None = None
        for row in group.rows:
            if row is not first:
                for key in CUSTOMER_KEYS:
                    text, expected = cell_text(row.raw.get(key)), cell_text(first.raw.get(key))
                    if text and text != expected:
                        row.flag(
                            key,
                            _("Differs from row %(row)s of the same customer (“%(value)s”).")
                            % {"row": first.number, "value": expected},
                        )
            if row.contact is None:
                if bare_row is not None:
                    row.flag("name", _("Duplicate of row %(row)s.") % {"row": bare_row})
                bare_row = bare_row or row.number
                continue
            name = row.contact["name"].lower()
            if name and name in contacts_seen:
                row.flag(
                    "contact_name",
                    _("Same contact as row %(row)s for this customer.") % {"row": contacts_seen[name]},
                )
            contacts_seen.setdefault(name, row.number)
        receiving = [row for row in group.rows if row.contact and row.contact["receives_fee"]]
        total = sum((row.contact["fee_share"] for row in receiving), start=Decimal("0.00"))
        if receiving and total != HUNDRED:
            for row in receiving:
                row.flag(
                    "fee_share",
                    _("The fee shares of %(customer)s add up to %(total)s %%, not 100 %%.")
                    % {"customer": first.customer["name"], "total": f"{total:.2f}"},
                )

    def _owner(self, actor: User, username: str, users: dict[str, User]) -> tuple[User | None, str]:
        if not username or username == actor.username:
            return actor, ""
        if not (actor.is_superuser or actor.has_role(Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.SALES_CLERK)):
            return None, _("Only the sales manager, director or clerk may give customers to another rep.")
        owner = users.get(username)
        if owner is None or not owner.is_active or not owner.has_role(Role.SALES_REP):
            return None, _("“%(name)s” is not an active sales representative.") % {"name": username}
        if not actor.is_superuser and owner.department_id != actor.department_id:
            return None, _("%(name)s is not in your department.") % {"name": username}
        return owner, ""

    def check(self, *, actor, rows: list[tuple[int, dict]]) -> CheckResult:
        industries: dict[str, int] = {}
        for pk, code, name_zh, name_en in Industry.objects.filter(active=True).values_list(
            "pk", "code", "name_zh", "name_en"
        ):
            for name in (code, name_zh, name_en):
                industries.setdefault(name.strip().lower(), pk)
        groups: dict[tuple, _Group] = {}
        for number, raw in rows:
            row = _Row(number, raw)
            self._parse_customer(row, industries)
            self._parse_contact(row)
            code, name = row.customer["code"], row.customer["name"]
            key = ("code", code) if code else ("name", name.lower())
            groups.setdefault(key, _Group(key)).rows.append(row)
        codes = {group.first.customer["code"] for group in groups.values() if group.first.customer["code"]}
        taken = set(Customer.objects.filter(code__in=codes).values_list("code", flat=True))
        usernames = {cell_text(group.first.raw.get("owner")) for group in groups.values()} - {""}
        users = {user.username: user for user in User.objects.filter(username__in=usernames).prefetch_related("groups")}
        for group in groups.values():
            self._check_group(group)
            if group.first.customer["code"] in taken:
                group.first.flag(
                    "code", _("Customer code %(code)s is already in use.") % {"code": group.first.customer["code"]}
                )
            owner, problem = self._owner(actor, cell_text(group.first.raw.get("owner")), users)
            if problem:
                group.first.flag("owner", problem)
            group.owner_id = owner.pk if owner else None
        errors: list[dict] = []
        good: list[_Group] = []
        for group in groups.values():
            if group.bad():
                bad_row = next(row.number for row in group.rows if row.errors)
                for row in group.rows:
                    if not row.errors:
                        row.flag(
                            "",
                            _("Not imported: row %(row)s of the same customer has a problem, and a customer is "
                              "imported with all its rows.") % {"row": bad_row},
                        )  # fmt: skip
                    errors += row.errors
            else:
                good.append(group)
        errors.sort(key=lambda entry: entry["row"] or 0)
        return CheckResult(
            total_rows=len(rows), errors=errors, good_rows=sum(len(group.rows) for group in good), plan=good
        )

    # --- writing -------------------------------------------------------------------------

    def _new_codes(self, count: int) -> list[str]:
        """Automatic codes C000123 from the code sequence, skipping any an import took."""
        codes: list[str] = []
        while len(codes) < count:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval('customers_customer_code_seq') FROM generate_series(1, %s)", [count - len(codes)]
                )
                batch = [f"C{number:06d}" for (number,) in cursor.fetchall()]
            taken = set(Customer.objects.filter(code__in=batch).values_list("code", flat=True))
            codes += [code for code in batch if code not in taken]
        return codes

    def apply(self, *, actor, result: CheckResult, progress: Callable[[int], None]) -> tuple[int, int]:
        groups: list[_Group] = result.plan
        automatic = iter(self._new_codes(sum(1 for group in groups if not group.first.customer["code"])))
        for start in range(0, len(groups), CHUNK):
            chunk = groups[start : start + CHUNK]
            customers = [
                Customer(**{**group.first.customer, "code": group.first.customer["code"] or next(automatic)},
                         owner_id=group.owner_id)
                for group in chunk
            ]  # fmt: skip
            customers = bulk_create_with_history(customers, Customer, batch_size=CHUNK, default_user=actor)
            contacts = [
                Contact(customer=customer, **row.contact)
                for customer, group in zip(customers, chunk, strict=True)
                for row in group.rows
                if row.contact
            ]
            bulk_create_with_history(contacts, Contact, batch_size=CHUNK, default_user=actor)
            customer_refresh_search_text(customer_ids=[customer.pk for customer in customers])
            progress(sum(len(group.rows) for group in chunk))
        return len(groups), 0


importer = CustomerImporter()
