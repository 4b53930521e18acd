from django.http import Http404
from django.shortcuts import render

from crm_project.core.db_router import reads_from_replica

from .blocks import block_for, blocks_for
from .computing import compute, compute_all
from .exports import block_xlsx_response
from .forms import DashboardQueryForm


def dashboard_context(request, form: DashboardQueryForm) -> dict:
    scope = form.scope()
    return {
        "form": form,
        "scope": scope,
        "period": scope.period,
        "previous": scope.period.previous(),
        "computed": compute_all(scope),
        "query": request.GET.urlencode(),
    }


@reads_from_replica()
def dashboard(request):
    """The management dashboard (DSH-01): every block the user may see, for a period."""
    if not blocks_for(request.user):
        raise Http404
    form = DashboardQueryForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "dashboard/page.html", {"form": form, "computed": []}, status=400)
    return render(request, "dashboard/page.html", dashboard_context(request, form))


@reads_from_replica()
def block_export(request, key: str):
    """One block's data as Excel, for the same period and department as the page (read from the
    replica; its export log is written to default, as every write)."""
    block = block_for(request.user, key)
    if block is None:
        raise Http404
    form = DashboardQueryForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "dashboard/page.html", {"form": form, "computed": []}, status=400)
    computed = compute(block, form.scope())
    return block_xlsx_response(block, form.scope(), computed.presentation, query=request.GET.urlencode())
