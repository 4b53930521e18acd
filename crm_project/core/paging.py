"""Paginating one of several lists on a page: each list has its own page parameter, so turning
the pages of one keeps the others where they are."""

from django.conf import settings
from django.core.paginator import Page, Paginator


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
