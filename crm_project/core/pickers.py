"""Search-as-you-type pickers (ORG-02, CUS-07, DSH-03).

A customer, contact, product or user field is never a drop-down of every row: with 100,000
customers that page would weigh megabytes and show customers nobody may pick. Instead:

- each app registers a `Source`: the access-scoped queryset of what a user may pick, how to
  search it and how to label a row;
- `/pickers/<source>/?q=…` answers at most `LIMIT` `{id, text}` rows of that queryset, as JSON;
- `use_picker(field, source, user, …)` gives a form field the *same* queryset (so the server
  refuses an id the user could not have picked: a form error, nothing written) and the
  `SearchSelect` widget, which renders only the chosen option(s) plus the endpoint's address;
  static/js/pickers.js turns it into a Tom Select search field.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import Model, QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

LIMIT = 20
MAX_TERM = 100


class PickerParamError(ValueError):
    """A parameter of the endpoint is missing or wrong: the endpoint answers 400."""


@dataclass(frozen=True)
class Source:
    """What one picker offers. `queryset(user, params)` must start from the access registry
    (`visible_to`); it receives only the parameters named in `params` and raises
    `PickerParamError` for a wrong one."""

    name: str
    model: type[Model]
    queryset: Callable[[object, Mapping[str, str]], QuerySet]
    search: Callable[[QuerySet, str], QuerySet]
    order: tuple[str, ...]
    label: Callable[[Model], str] = str
    params: tuple[str, ...] = ()
    only: tuple[str, ...] = field(default=())

    def scoped(self, user, params: Mapping[str, str]) -> QuerySet:
        unknown = set(params) - set(self.params)
        if unknown:
            raise PickerParamError(_("Unknown parameter: %(name)s.") % {"name": ", ".join(sorted(unknown))})
        return self.queryset(user, params).order_by(*self.order)

    def results(self, user, params: Mapping[str, str], term: str) -> tuple[list[dict], bool]:
        queryset = self.scoped(user, params)
        if self.only:
            queryset = queryset.only(*self.only)
        term = term.strip()
        if term:
            queryset = self.search(queryset, term)
        rows = list(queryset[: LIMIT + 1])
        return [{"id": row.pk, "text": self.label(row)} for row in rows[:LIMIT]], len(rows) > LIMIT


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    _sources[source.name] = source
    return source


def get_source(name: str) -> Source:
    return _sources[name]


def integer_param(params: Mapping[str, str], name: str, *, required: bool = True) -> int | None:
    value = (params.get(name) or "").strip()
    if not value:
        if required:
            raise PickerParamError(_("The parameter %(name)s is required.") % {"name": name})
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise PickerParamError(_("The parameter %(name)s must be a number.") % {"name": name})
    return int(value)


def choice_param(params: Mapping[str, str], name: str, choices, default: str = "") -> str:
    value = params.get(name, default) or default
    if value not in choices:
        raise PickerParamError(_("The parameter %(name)s has an unknown value.") % {"name": name})
    return value


# --- the endpoint ----------------------------------------------------------------------------


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
def search(request, source: str):
    """`/pickers/<source>/?q=…`: at most LIMIT `{id, text}` of what this user may pick. Login is
    required by the middleware; an unknown source is a 404, a bad parameter a 400."""
    picker = _sources.get(source)
    if picker is None:
        raise Http404
    params = {key: request.GET.get(key, "") for key in request.GET if key != "q"}
    if any(len(request.GET.getlist(key)) > 1 for key in request.GET):
        return _bad(_("Give each parameter once."))
    term = request.GET.get("q", "")
    if len(term) > MAX_TERM:
        return _bad(_("The search term is too long (at most %(n)d characters).") % {"n": MAX_TERM})
    try:
        results, more = picker.results(request.user, params, term)
    except PickerParamError as error:
        return _bad(str(error))
    return JsonResponse({"results": results, "more": more})


# --- the widget and the form field -------------------------------------------------------------


class SearchSelect(forms.Select):
    """A <select> holding only the chosen option (and the empty one), with the endpoint's address
    in `data-picker`; pickers.js makes it a search field. `depends` maps an endpoint parameter to
    the id of the field it is read from (a contact picker reads the chosen customer)."""

    def __init__(self, source: str, params: Mapping[str, str] | None = None, depends=None, attrs=None):
        super().__init__(attrs=attrs)
        self.source = source
        self.params = dict(params or {})
        self.depends = dict(depends or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params, copy.depends = dict(self.params), dict(self.depends)
        return copy

    @property
    def url(self) -> str:
        url = reverse("core:picker", args=[self.source])
        return f"{url}?{urlencode(self.params)}" if self.params else url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker"] = self.url
        if self.depends:
            widget_attrs["data-picker-depends"] = ",".join(f"{param}=#{id_}" for param, id_ in self.depends.items())
        widget_attrs["data-picker-none"] = _("Nothing found")
        widget_attrs["data-picker-hint"] = _("Type to search")
        widget_attrs.setdefault("placeholder", _("Type to search"))
        return context

    def use_required_attribute(self, initial) -> bool:
        # Select's version reads the first choice, which would run the whole query; the server
        # validates the field anyway, and a hidden required <select> only confuses the browser.
        return False

    def _chosen(self, values) -> list[tuple[str, str]]:
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        wanted = [str(v) for v in values if v not in (None, "") and str(v).isascii() and str(v).isdigit()]
        if queryset is None or not wanted:
            return []
        model_field = getattr(iterator.field, "to_field_name", None) or "pk"
        label = iterator.field.label_from_instance
        rows = queryset.filter(**{f"{model_field}__in": wanted[:50]})
        return [(str(getattr(row, model_field) if model_field != "pk" else row.pk), label(row)) for row in rows]

    def optgroups(self, name, value, attrs=None):
        chosen = self._chosen(value)
        choices = []
        empty_label = getattr(getattr(self.choices, "field", None), "empty_label", None)
        if not self.allow_multiple_selected and empty_label is not None:
            choices.append(("", empty_label))
        choices.extend(chosen)
        values = {str(v) for v in value}
        groups = []
        for index, (option_value, label) in enumerate(choices):
            selected = option_value in values and option_value != ""
            groups.append((None, [self.create_option(name, option_value, label, selected, index, attrs=attrs)], index))
        return groups


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def use_picker(form_field: forms.ModelChoiceField, source: str, user, *, depends=None, **params) -> None:
    """Make `form_field` a picker over `source`: the widget, and the same scoped queryset the
    endpoint searches, so an id outside it is refused by the field's own validation."""
    picker = get_source(source)
    multiple = isinstance(form_field, forms.ModelMultipleChoiceField)
    widget_class = SearchSelectMultiple if multiple else SearchSelect
    widget = widget_class(source, params={k: v for k, v in params.items() if v not in (None, "")}, depends=depends)
    widget.attrs.update(
        {key: value for key, value in form_field.widget.attrs.items() if not key.startswith("data-reload")}
    )
    widget.is_required = form_field.required
    form_field.widget = widget
    form_field.label_from_instance = picker.label
    try:
        queryset = picker.scoped(user, {k: str(v) for k, v in widget.params.items()})
    except PickerParamError:  # e.g. a contact picker before a customer is chosen: nothing to pick
        queryset = picker.model._default_manager.none()
    # The queryset setter also hands the (lazy) choices to the new widget.
    form_field.queryset = queryset


def use_filter_picker(filterset, name: str, source: str, **params) -> None:
    """The same for a django-filter filter: its form field becomes a picker (DSH-03)."""
    request = getattr(filterset, "request", None)
    use_picker(filterset.form.fields[name], source, request.user if request else None, **params)
