"""The list-page pattern: access-scoped rows, django-filter filters, sorting, pagination,
and an "Export to Excel" of exactly the filtered rows."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import ListView

from .background_exports import export_start, needs_background
from .exports import Export, xlsx_response
from .paging import CappedPaginator, Keyset, continue_by_keyset, keyset_page


class FilteredListView(ListView):
    """Subclasses set `filterset_class`, `sort_options`, `default_sort`, `export_class`,
    and implement `base_queryset()`, which must start from the access registry."""

    filterset_class = None
    export_class: type[Export] | None = None
    # key -> (label, ordering); "?sort=key" ascending, "?sort=-key" descending.
    sort_options: dict[str, tuple[str, str]] = {}
    default_sort = ""
    paginate_by = settings.LIST_PAGE_SIZE
    paginator_class = CappedPaginator
    export_param = "export"

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if self.export_class and request.GET.get(self.export_param) == "xlsx":
            query = request.GET.copy()
            query.pop(self.export_param, None)
            queryset, export = self.get_queryset(), self.export_class()
            if needs_background(queryset):
                job = export_start(user=request.user, export=export, path=request.path, query=query.urlencode())
                return HttpResponseRedirect(reverse("core:export_detail", args=[job.pk]))
            return xlsx_response(export, queryset, user=request.user, query=query.urlencode())
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        queryset = self.base_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = self.filterset.qs
        else:
            self.filterset = None
        return queryset.order_by(*self.ordering_for(self.current_sort()))

    def current_sort(self) -> str:
        requested = self.request.GET.get("sort", "")
        return requested if requested.lstrip("-") in self.sort_options else self.default_sort

    def ordering_for(self, sort: str) -> list[str]:
        """The sort column, then the id the same way round (the order an index on both serves,
        and a keyset can continue)."""
        if not sort:
            return ["-pk"]
        _label, field = self.sort_options[sort.lstrip("-")]
        descending = field.startswith("-") != sort.startswith("-")
        prefix = "-" if descending else ""
        return [f"{prefix}{field.lstrip('-')}", f"{prefix}pk"]

    def keyset(self, model) -> Keyset | None:
        """The current order as a keyset, when its column is the row's own and never NULL."""
        ordering = self.ordering_for(self.current_sort())
        column = ordering[0].lstrip("-")
        if column != "pk":
            try:
                model_field = model._meta.get_field(column)
            except FieldDoesNotExist:
                return None
            if model_field.null:
                return None
        return Keyset(column, ordering[0].startswith("-"))

    def paginate_queryset(self, queryset, page_size):
        keyset = self.keyset(queryset.model) if isinstance(queryset, QuerySet) else None
        after = self.request.GET.get("after")
        if keyset and after is not None:
            paginator = self.get_paginator(queryset, page_size)
            page = keyset_page(paginator, keyset, queryset, after, page_size)
            return paginator, page, page.object_list, True
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if keyset:
            continue_by_keyset(page)
            object_list = page.object_list
        return paginator, page, object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sort = self.current_sort()
        context.update(
            filter=self.filterset,
            sort=sort,
            sort_choices=[
                (key, label, sort == key, sort == f"-{key}") for key, (label, _field) in self.sort_options.items()
            ],
            can_export=self.export_class is not None,
        )
        return context
