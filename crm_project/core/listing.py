"""The list-page pattern: access-scoped rows, django-filter filters, sorting, pagination,
and an "Export to Excel" of exactly the filtered rows."""

from django.conf import settings
from django.db.models import QuerySet
from django.views.generic import ListView

from .exports import Export, xlsx_response


class FilteredListView(ListView):
    """Subclasses set `filterset_class`, `sort_options`, `default_sort`, `export_class`,
    and implement `base_queryset()`, which must start from the access registry."""

    filterset_class = None
    export_class: type[Export] | None = None
    # key -> (label, ordering); "?sort=key" ascending, "?sort=-key" descending.
    sort_options: dict[str, tuple[str, str]] = {}
    default_sort = ""
    paginate_by = settings.LIST_PAGE_SIZE
    export_param = "export"

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if self.export_class and request.GET.get(self.export_param) == "xlsx":
            query = request.GET.copy()
            query.pop(self.export_param, None)
            return xlsx_response(self.export_class(), self.get_queryset(), user=request.user, query=query.urlencode())
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
        if not sort:
            return ["-pk"]
        descending = sort.startswith("-")
        _label, field = self.sort_options[sort.lstrip("-")]
        if descending:
            field = field[1:] if field.startswith("-") else f"-{field}"
        return [field, "-pk"]

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
