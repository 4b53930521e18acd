from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure as the dashboard shows it: thousands separated, its unit after it; "—" when
    there is none (a rate without a base)."""
    if value is None or value == "":
        return "—"
    text = intcomma(value)
    if unit == "¥":
        return f"¥{text}"
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}".strip()


@register.simple_tag
def change(number) -> str:
    """The change against the previous period, in words and with a sign (never by colour alone)."""
    difference = number.change
    values = {"previous": figure(number.previous, number.unit), "what": number.compared_with}
    if difference is None:
        message = _("%(what)s: %(previous)s") if number.compared_with else _("previous period: %(previous)s")
        return message % values
    if difference == 0:
        message = (
            _("same as %(what)s (%(previous)s)")
            if number.compared_with
            else _("same as the previous period (%(previous)s)")
        )
        return message % values
    sign = "▲ +" if difference > 0 else "▼ "
    values["change"] = sign + f"{difference:,.2f}".rstrip("0").rstrip(".")
    if number.compared_with:
        return _("%(change)s against %(what)s (%(previous)s)") % values
    return _("%(change)s against the previous period (%(previous)s)") % values
