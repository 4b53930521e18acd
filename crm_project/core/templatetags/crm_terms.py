"""The policy's own Chinese term beside an English heading (docs/glossary.md).

`{% policy_term "借支" %}` renders the term as a small aside in English, where it tells the
reader which paper form or policy word the page is about, and nothing in Chinese, where the
heading already says it (otherwise a heading would read "借支 借支").
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def policy_term(term):
    if (get_language() or "").lower().startswith("zh"):
        return ""
    return format_html('<small class="text-secondary fs-6">{}</small>', term)
