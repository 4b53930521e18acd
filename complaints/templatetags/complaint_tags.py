from django import template

from ..targets import complaint_targets

register = template.Library()


@register.filter
def targets(complaint):
    """The complaint's response and solution targets with the time left (CMP-04)."""
    return complaint_targets(complaint)
