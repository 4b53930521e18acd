"""The product master 品种 (CUS-10). The ERP keeps it and sends new products through the API;
administrators maintain it in the admin. Fee standards hang off products (EXP-02)."""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError, PermissionDenied

from ..models import Product
from ..permissions import can_create_product

# Control characters (NUL included) never belong in a name; a code is also one word.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CODE = re.compile(r"^\S+$")
LENGTHS = {"code": 40, "name": 100, "unit": 20}


def _text(value, *, field: str, label: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise DomainError(_("%(label)s is missing.") % {"label": label}, field=field)
    if _CONTROL.search(text):
        raise DomainError(_("%(label)s contains control characters.") % {"label": label}, field=field)
    if len(text) > LENGTHS[field]:
        raise DomainError(
            _("%(label)s is longer than %(max)s characters.") % {"label": label, "max": LENGTHS[field]}, field=field
        )
    return text


def product_create(*, actor: User, code, name, unit) -> Product:
    """A new product with a unique code (CUS-10), by an administrator or the ERP integration."""
    if not can_create_product(actor):
        raise PermissionDenied(_("Products are added by administrators and the ERP integration."))
    code = _text(code, field="code", label=_("The code"))
    if not _CODE.match(code):
        raise DomainError(_("The code is one word, without spaces."), field="code")
    name = _text(name, field="name", label=_("The name"))
    unit = _text(unit, field="unit", label=_("The unit"))
    if Product.objects.filter(code__iexact=code).exists():
        raise DomainError(_("A product with the code %(code)s already exists.") % {"code": code}, field="code")
    try:
        with transaction.atomic():
            product = Product(code=code, name=name, unit=unit)
            product._history_user = actor
            product.save()
    except IntegrityError:  # the same code sent twice at once
        raise DomainError(
            _("A product with the code %(code)s already exists.") % {"code": code}, field="code"
        ) from None
    return product
