from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from crm_project.core.listing import FilteredListView

from .exports import NotificationExport
from .filters import NotificationFilter
from .selectors import notification_visible_to, unread_count
from .services import notification_mark_read


class InboxView(FilteredListView):
    template_name = "notifications/notification_list.html"
    filterset_class = NotificationFilter
    export_class = NotificationExport
    sort_options = {"received": (_("Received"), "created_at"), "title": (_("Title"), "title")}
    default_sort = "-received"

    def base_queryset(self):
        return notification_visible_to(self.request.user)


@require_POST
def mark_read(request, pk: int):
    """Mark one notification read and follow its link (or, for htmx, swap the row)."""
    notification = get_object_or_404(notification_visible_to(request.user), pk=pk)
    notification_mark_read(user=request.user, notification_ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        response = render(request, "notifications/_notification_row.html", {"notification": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    target = notification.url if request.POST.get("follow") and notification.url else reverse("notifications:inbox")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


@require_POST
def mark_all_read(request):
    notification_mark_read(user=request.user)
    return HttpResponseRedirect(reverse("notifications:inbox"))


def unread_badge(request):
    return render(request, "notifications/_unread_badge.html", {"unread_notifications": unread_count(request.user)})
