"""Every template of ours keeps to the Content-Security-Policy: no inline event handler, no inline
script or style element without the nonce, no style="" attribute, no hx-on (htmx would eval it),
no javascript: URL. So a new template cannot slip one in."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

RULES = {
    "inline event handler": re.compile(r"(?<![\w-])on[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-z][^>]*?(?<![\w-])style\s*=", re.IGNORECASE | re.DOTALL),
    "hx-on attribute": re.compile(r"(?<![\w-])(?:data-)?hx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
OPENING_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


def _our_templates() -> list[Path]:
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    ours = [folder for folder in folders if folder.is_dir() and ROOT in folder.parents and ".venv" not in folder.parts]
    return sorted({path for folder in ours for path in folder.rglob("*.html")})


def _problems(text: str) -> list[str]:
    text = TEMPLATE_COMMENT.sub("", text)
    found = [f"{name}: {match.group(0)[-40:]!r}" for name, rule in RULES.items() for match in rule.finditer(text)]
    for match in OPENING_TAG.finditer(text):
        element, attributes = match.group(1).lower(), match.group(2)
        if element == "script" and ("src=" in attributes or 'type="application/json"' in attributes):
            continue
        if "nonce=" not in attributes:
            found.append(f"inline <{element}> without a nonce")
    return found


def test_the_walk_finds_the_templates():
    names = {path.relative_to(ROOT).as_posix() for path in _our_templates()}
    assert {"templates/base.html", "templates/customers/customer_detail.html"} <= names
    assert len(names) > 90


@pytest.mark.parametrize("path", _our_templates(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_template_needs_unsafe_inline(path):
    assert _problems(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_what_it_is_for():
    assert _problems('<button onclick="go()">') == ["inline event handler: 'onclick='"]
    assert _problems("<select class=x\n  onchange='this.form.submit()'>")
    assert _problems('<div class="a" style="width: 5rem">')
    assert _problems('<button hx-on:click="alert(1)">')
    assert _problems('<a href="javascript:void(0)">')
    assert _problems("<script>alert(1)</script>") == ["inline <script> without a nonce"]
    assert _problems("<style>body {}</style>") == ["inline <style> without a nonce"]
    assert _problems('<script nonce="{{ request.csp_nonce }}">go()</script>') == []
    assert _problems('<script src="/static/js/crm.js"></script>') == []
    assert _problems("{% blocktranslate with month=m done=d %}{{ month }}{% endblocktranslate %}") == []
    assert _problems('<span data-confirm="Sure?">') == []
    assert _problems("{# no <script> or onclick= here #}{% comment %}<style>{% endcomment %}") == []


def test_no_python_widget_adds_an_event_handler():
    sources = [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "migrations", "tests", "staticfiles"} & set(path.relative_to(ROOT).parts)
    ]
    handler = re.compile(r"""["']on[a-z]+["']\s*:""")
    offenders = [str(path.relative_to(ROOT)) for path in sources if handler.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
