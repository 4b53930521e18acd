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
    previous = figure(number.previous, number.unit)
    if difference is None:
        return _("previous period: %(previous)s") % {"previous": previous}
    if difference == 0:
        return _("same as the previous period (%(previous)s)") % {"previous": previous}
    sign = "▲ +" if difference > 0 else "▼ "
    amount = f"{difference:,.1f}".rstrip("0").rstrip(".") if isinstance(difference, float) else difference
    message = _("%(change)s against the previous period (%(previous)s)")
    return message % {"change": f"{sign}{amount}", "previous": previous}
