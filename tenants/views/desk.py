"""The operations desk page (TEN-02, DSH-02): the open requests, breaches first, with the time
left to the next target; one query for the rows whatever their number."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from ..permissions import can_log, opens_desk_pages
from ..selectors import desk_requests, request_visible_to


def has_tenant_access(user) -> bool:
    """Operations, management (read-only) and the departments that handle requests."""
    return opens_desk_pages(user)


@login_required
def desk(request):
    if not has_tenant_access(request.user):
        raise PermissionDenied
    now = timezone.now()
    page = Paginator(desk_requests(request.user, now), 50).get_page(request.GET.get("page"))
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    logged_today = request_visible_to(request.user).filter(logged_at__gte=start).count()
    rows = [(row, (row.next_due_at - now) if row.next_due_at else None) for row in page]
    context = {"page_obj": page, "rows": rows, "logged_today": logged_today, "can_log": can_log(request.user)}
    return render(request, "tenants/desk.html", context)


urlpatterns = [path("", desk, name="desk")]
