"""The dashboard's registry (DSH-01): each app adds the blocks of its own figures.

An app registers a `DashboardBlock` in its AppConfig.ready() (`<app>/dashboard.py`):

- `figures(scope)` computes the block's numbers from querysets that start at
  `scope.visible(model)` — the access registry (ORG-02, EXP-13) — never from a global table,
  so nobody sees a number computed over rows they may not see. What it returns is JSON-ready
  (ints, floats, strings; money as `money()` strings) and is the API's value under `key`.
- `present(figures, scope)` turns them into what the page shows: numbers with their
  comparison to the previous period, charts, the tables of the block's Excel download, and
  the links to the lists behind them, already filtered.
- `visible(user)` says whether the user sees the block at all; a block the user may not see
  is left out of the page and the API (absent, not zero).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from crm_project.accounts.access import department_members, visible_to
from crm_project.core.navigation import Predicate, Registry

from .periods import Period

CENT = Decimal("0.01")


def money(value) -> str:
    """A sum of money as the API writes it: yuan with two decimals, as a string."""
    return str(Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP))


def share(part, whole) -> float | None:
    """part / whole as a percentage with one decimal; None when there is no whole."""
    return round(100 * float(part) / float(whole), 1) if whole else None


def list_url(url_name: str, **params) -> str:
    """The address of a list with its filter parameters (empty ones left out; a list value
    repeats its parameter)."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")}, doseq=True)
    return f"{reverse(url_name)}?{query}" if query else reverse(url_name)


def days_of(period: Period, prefix: str) -> dict:
    """A list's date-range parameters for the period's days: `<prefix>_from`, `<prefix>_to`."""
    return {f"{prefix}_from": period.start.isoformat(), f"{prefix}_to": (period.end - timedelta(days=1)).isoformat()}


@dataclass(frozen=True)
class Scope:
    """Who asks, for which period, and (management only) for which department."""

    user: Any
    period: Period
    department: Any = None  # a Department, or None for everything the user may see

    def visible(self, model_or_queryset: type[Model] | QuerySet) -> QuerySet:
        return visible_to(self.user, model_or_queryset)

    def in_department(self, queryset: QuerySet, person_field: str) -> QuerySet:
        """The rows whose `person_field` (an owner, a rep) is in the chosen department."""
        if self.department is None:
            return queryset
        return queryset.filter(**{f"{person_field}__in": department_members(self.department.pk)})

    def with_period(self, period: Period) -> "Scope":
        return Scope(self.user, period, self.department)


@dataclass
class Number:
    """A headline figure, with the previous period's for comparison when it has one."""

    label: str
    value: Any
    previous: Any = None
    url: str = ""
    unit: str = ""  # "%", "¥", "h", "d" … shown after the value
    key: str = ""  # an id for the page and its tests
    compared_with: str = ""  # what `previous` is, when not the previous period ("the round before")

    @property
    def change(self) -> float | None:
        if self.previous in (None, "") or self.value in (None, ""):
            return None
        return float(self.value) - float(self.previous)


@dataclass
class Series:
    name: str
    data: list


@dataclass
class Chart:
    """What static/js/dashboard.js draws with ECharts: bars (`bar`, `stacked`), a `line` or a
    `pie`; every value is also written as a label, so no chart depends on colour alone."""

    key: str
    title: str
    kind: str
    categories: list
    series: list[Series]
    links: list[str] = field(default_factory=list)  # one list address per category
    unit: str = ""

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "kind": self.kind,
            "categories": [str(category) for category in self.categories],
            "series": [{"name": str(series.name), "data": series.data} for series in self.series],
            "links": self.links,
            "unit": self.unit,
        }


@dataclass
class Table:
    """One sheet of the block's Excel download."""

    title: str
    headers: list[str]
    rows: list[list]
    kinds: list[str] = field(default_factory=list)  # "money" / "quantity" per column


def against_previous(key: str, title, categories: list, rows: list[dict], field: str, links: list[str]) -> Chart:
    """Bars of one figure per category, this period's beside the previous period's (each row
    carries the previous period's figures under "previous")."""
    return Chart(
        key=key,
        title=title,
        kind="bar",
        categories=categories,
        series=[
            Series(_("This period"), [row[field] for row in rows]),
            Series(_("Previous period"), [row["previous"][field] for row in rows]),
        ],
        links=links,
    )


def numbers_table(numbers: list[Number]) -> Table:
    """The block's numbers as a sheet: each with this period's value and the previous one."""
    return Table(
        title=_("Figures"),
        headers=[_("Figure"), _("This period"), _("Previous period")],
        rows=[[str(number.label), number.value, number.previous] for number in numbers],
    )


def comparison_table(title: str, first_header: str, labels: list, rows: list[dict], columns: list) -> Table:
    """A sheet with one row per label; `columns` are (header, key, of the previous period?)
    read from each row, or from its "previous" dict."""
    return Table(
        title=str(title),
        headers=[str(first_header), *(str(header) for header, _key, _before in columns)],
        rows=[
            [label, *((row["previous"] if before else row)[key] for _header, key, before in columns)]
            for label, row in zip(labels, rows, strict=True)
        ],
    )


@dataclass
class Presentation:
    numbers: list[Number] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    list_url: str = ""  # the list behind the block as a whole
    note: str = ""


@dataclass(frozen=True)
class DashboardBlock:
    key: str
    title: str
    figures: Callable[[Scope], dict]
    present: Callable[[dict, Scope], Presentation]
    visible: Predicate
    order: int = 100
    template: str = "dashboard/_block.html"


blocks = Registry()


def blocks_for(user) -> list[DashboardBlock]:
    return blocks.for_user(user)


def block_for(user, key: str) -> DashboardBlock | None:
    return next((block for block in blocks_for(user) if block.key == key), None)
