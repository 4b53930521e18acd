"""A notification's text kept as message ids with parameters, rendered in the reader's language
when it is shown or e-mailed, not once when it is created (JOB-10).

`notify()` receives lazy translations (gettext_lazy, pgettext_lazy, ngettext_lazy with a named
number) with %(name)s placeholders. `freeze()` turns them — and their parameters — into plain
JSON that the notification row keeps; `render()` turns that JSON back into text in the active
language. The JSON shapes:

    {"msgid": "...", "context": "...", "plural": "...", "number": "count" | 3}   a translation
    {"text": "..."}                              a literal template (a plain str given as title)
    {"msgid": …, "params": {...}}                a translation with its own parameters (Message)
    {"lines": [...], "join": "\\n"}              parts joined (Lines)
    {"localized": {"zh-hans": "...", "en": "..."}}   data kept in each language (a department's name)
    {"date": "2027-01-04"}, {"datetime": "2027-01-04T09:30:00+00:00"}, {"decimal": "12.50"}

Parameters that are plain strings and numbers stay as they are. Rendering never fails: a
message whose catalogue entry no longer fits its parameters falls back to the stored text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, npgettext, pgettext

JSON = Any
DATE_FORMAT, DATETIME_FORMAT = "Y-m-d", "Y-m-d H:i"


class Message:
    """A translatable text with its own parameters, for use as a parameter or a line of a
    notification: `Message(gettext_lazy("- %(date)s %(name)s"), date=day, name=contact.name)`."""

    def __init__(self, text, **params):
        self.text, self.params = text, params


class Lines:
    """Parts shown joined — lines of a digest, or a list of field names."""

    def __init__(self, items, join: str = "\n"):
        self.items, self.join = list(items), join


class Localized:
    """Data that exists in each language, e.g. a department's Chinese and English names."""

    def __init__(self, by_language: dict[str, str]):
        self.by_language = dict(by_language)


def localized_department(department) -> Localized:
    return Localized({"zh-hans": department.name_zh, "en": department.name_en})


# --- freezing: Python values → JSON ------------------------------------------------------------


def _translation(value: Promise) -> dict | None:
    """The msgid (and context, plural form) a lazy translation was made from, read from the
    proxy's own pickling recipe; None when it is not a translation we know."""
    try:
        unpickle, recipe = value.__reduce__()[:2]
    except Exception:  # pragma: no cover - every Django proxy has one
        return None
    if getattr(unpickle, "__name__", "") == "_lazy_number_unpickle":  # ngettext_lazy with a named number
        func, _resultclass, number, kwargs = recipe
        args, kwargs = (), {**kwargs, "number": number}
    else:
        func, args, kwargs = recipe[:3]
    names = {gettext: ("message",), pgettext: ("context", "message"), ngettext: ("singular", "plural", "number"),
             npgettext: ("context", "singular", "plural", "number")}  # fmt: skip
    if func not in names:
        return None
    found = {**dict(zip(names[func], args, strict=False)), **kwargs}
    try:
        frozen = {"msgid": str(found.get("message", found.get("singular")))}
        if "context" in names[func]:
            frozen["context"] = str(found["context"])
        if "plural" in names[func]:
            frozen["plural"], frozen["number"] = str(found["plural"]), found["number"]
    except KeyError:
        return None
    return frozen


def freeze(value) -> JSON:
    """A JSON-safe form of a title, body or parameter that `render()` can translate later."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Promise):
        found = _translation(value)
        if found is None:  # some other lazy object: keep its text as it reads now
            return str(value)
        return found
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Message):
        frozen = freeze(value.text)
        frozen = dict(frozen) if isinstance(frozen, dict) else {"text": str(frozen)}
        frozen["params"] = freeze_params(value.params)
        return frozen
    if isinstance(value, Lines):
        return {"lines": [freeze(item) for item in value.items], "join": value.join}
    if isinstance(value, Localized):
        return {"localized": {str(code): str(text) for code, text in value.by_language.items()}}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, list | tuple):
        return {"lines": [freeze(item) for item in value], "join": ", "}
    return str(value)


def freeze_params(params: dict | None) -> dict:
    return {str(name): freeze(value) for name, value in (params or {}).items()}


def freeze_template(value) -> JSON:
    """A title or body: a translation, or a literal template kept as {"text": …}."""
    frozen = freeze(value)
    if frozen is None or frozen == "":
        return None
    if not isinstance(frozen, dict):
        return {"text": str(frozen)}
    return frozen


# --- rendering: JSON → text in the active language ---------------------------------------------


class RenderError(Exception):
    pass


def _translate(message: dict, params: dict) -> str:
    context = message.get("context")
    if "plural" in message:
        number = message.get("number")
        count = params.get(number) if isinstance(number, str) else number
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise RenderError(f"no number for {message['msgid']!r}") from None
        if context:
            return npgettext(context, message["msgid"], message["plural"], count)
        return ngettext(message["msgid"], message["plural"], count)
    if context:
        return pgettext(context, message["msgid"])
    return gettext(message["msgid"])


def _pick_language(by_language: dict[str, str]) -> str:
    if not by_language:
        return ""
    language = (translation.get_language() or "").lower()
    if language in by_language:
        return by_language[language]
    prefix = language.split("-")[0]
    for code, text in by_language.items():
        if code.lower().split("-")[0] == prefix:
            return text
    return next(iter(by_language.values()))


def render_value(value: JSON) -> Any:
    """A parameter's value in the active language (numbers stay numbers, for %d and plurals)."""
    if not isinstance(value, dict):
        return value
    if "msgid" in value or "text" in value or "lines" in value:
        return render_message(value, value.get("params") or {}, format_always=bool(value.get("params")))
    if "localized" in value:
        return _pick_language(value["localized"])
    if "datetime" in value:
        moment = dt.datetime.fromisoformat(value["datetime"])
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, DATETIME_FORMAT)
    if "date" in value:
        return formats.date_format(dt.date.fromisoformat(value["date"]), DATE_FORMAT)
    if "decimal" in value:
        return value["decimal"]
    raise RenderError(f"unknown value {sorted(value)!r}")


def render_message(message: JSON, params: dict, *, format_always: bool = False) -> str:
    if message is None:
        return ""
    if not isinstance(message, dict):
        return str(message)
    if "lines" in message:
        return str(message.get("join", "\n")).join(str(render_value(item)) for item in message["lines"])
    values = {name: render_value(value) for name, value in params.items()}
    if "msgid" in message:
        text = _translate(message, values)
    elif "text" in message:
        text = str(message["text"])
    else:
        return str(render_value(message))
    if values or format_always:
        text = text % values
    return text


def render(message: JSON, params: dict | None, *, fallback: str) -> str:
    """The text of a title or body in the active language; `fallback` (the text stored when the
    notification was made) for old rows without a message id, or when it cannot be rendered."""
    if not message:
        return fallback
    try:
        return render_message(message, params or {})
    except (RenderError, KeyError, ValueError, TypeError, IndexError):
        return fallback
