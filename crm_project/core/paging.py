"""Pagination that stays fast on lists of any length (DSH-03).

- `CappedPaginator` counts at most `LIST_COUNT_CAP` + 1 rows: a department's customers or its
  interaction history run into the hundreds of thousands, and counting them exactly costs more
  than showing the page. Beyond the cap the list says "10,000+".
- Deep pages go by keyset: from page `LIST_KEYSET_FROM_PAGE` on, "Next" asks for the rows after
  the last one shown (`?after=<id>`) instead of skipping an ever longer OFFSET, so page 4,000 is
  as fast as page 2 (the row comparison `(sort column, id) > (…)` walks an index from there).
- `paged` paginates one of several lists on a page, each with its own page parameter.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import Http404
from django.utils.translation import gettext as _


def count_up_to(queryset: QuerySet, limit: int) -> int:
    """The rows of `queryset`, counted no further than `limit` + 1."""
    return queryset.order_by().values("pk")[: limit + 1].count()


class CappedPaginator(Paginator):
    cap = settings.LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        return count_up_to(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


@dataclass(frozen=True)
class Keyset:
    """A list's order as a keyset: one column that is never NULL, then the id, both the same
    way round — the only orders a row comparison (and an index on both) can continue."""

    column: str
    descending: bool

    def after(self, queryset: QuerySet, anchor_pk: int) -> QuerySet:
        """The rows that come after the row `anchor_pk` of `queryset` (404 when it has none)."""
        anchor = queryset.filter(pk=anchor_pk).values_list(self.column, flat=True).first()
        if anchor is None:
            raise Http404(_("The row this page continues from is not in the list any more."))
        if self.column == "pk":
            return queryset.filter(pk__lt=anchor_pk) if self.descending else queryset.filter(pk__gt=anchor_pk)
        comparison = TupleLessThan if self.descending else TupleGreaterThan
        return queryset.filter(comparison(Tuple(F(self.column), F("pk")), (anchor, anchor_pk)))


@dataclass
class KeysetPage:
    """A deep page: the rows after a given row. It knows whether more follow, not its number."""

    paginator: CappedPaginator
    object_list: list
    more: bool
    keyset: bool = field(default=True, init=False)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return True  # the first page, at least

    def has_other_pages(self) -> bool:
        return True

    @property
    def after(self) -> int | None:
        return self.object_list[-1].pk if self.more and self.object_list else None


def keyset_page(paginator: CappedPaginator, keyset: Keyset, queryset: QuerySet, raw_after: str, size: int):
    try:
        anchor_pk = int(raw_after)
    except ValueError:
        raise Http404(_("“after” must be the id of a row.")) from None
    rows = list(keyset.after(queryset, anchor_pk)[: size + 1])
    return KeysetPage(paginator, rows[:size], more=len(rows) > size)


def continue_by_keyset(page: Page, from_page: int | None = None) -> None:
    """From `LIST_KEYSET_FROM_PAGE` on, the page's "Next" continues after its last row."""
    from_page = from_page or settings.LIST_KEYSET_FROM_PAGE
    page.after = None
    if page.number >= from_page and page.has_next():
        page.object_list = list(page.object_list)
        page.after = page.object_list[-1].pk


def paged(request, queryset, param: str, per_page: int | None = None) -> Page:
    """The requested page of `queryset` (?<param>=N; a bad number gives the nearest page), with
    `links`: the URLs of the first, previous, next and last page, None where there is none."""
    page = Paginator(queryset, per_page or settings.LIST_PAGE_SIZE).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    last = page.paginator.num_pages
    page.links = {
        "first": url(1) if page.number > 1 else None,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "last": url(last) if page.number < last else None,
    }
    return page
