"""The storage log 临时物品寄存记录表 (TEN-09) and the recording archive 录音存档记录表 (TEN-04):
the desk's pages; management reads them; nobody else sees them (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.exports import xlsx_response

from ..access_rules import sees_whole_desk
from ..exports_archive import RecordingArchiveExport, StorageExport
from ..forms_archive import PickUpForm, StorageReceiveForm
from ..models import RecordingPurge
from ..permissions import can_keep_archive
from ..selectors import open_storage_items, recording_visible_to, storage_visible_to
from ..services.storage import storage_pick_up, storage_receive
from .archive import forbidden


def _storage_page(request, *, receive_form=None, pick_up_error=None, status=200):
    user = request.user
    picked = request.GET.get("tab") == "picked"
    if picked:
        items = (
            storage_visible_to(user)
            .filter(picked_up_at__isnull=False)
            .select_related("tenant", "received_by", "handed_out_by")
            .order_by("-picked_up_at", "-pk")[:200]
        )
    else:
        items = open_storage_items(user).select_related("received_by")
    can_act = can_keep_archive(user)
    context = {
        "items": items,
        "picked": picked,
        "can_act": can_act,
        "receive_form": receive_form or (StorageReceiveForm(user=user, prefix="receive") if can_act else None),
        "pick_up_error": pick_up_error,
    }
    return render(request, "tenants/storage_list.html", context, status=status)


@login_required
def storage_list(request):
    if not sees_whole_desk(request.user):
        return forbidden(request, _("The storage log is the desk's."))
    if request.GET.get("export") == "xlsx":
        queryset = storage_visible_to(request.user).order_by("received_at", "pk")
        if request.GET.get("tab") == "picked":
            queryset = queryset.filter(picked_up_at__isnull=False)
        elif request.GET.get("tab") != "all":
            queryset = queryset.filter(picked_up_at__isnull=True)
        return xlsx_response(StorageExport(), queryset, user=request.user, query=request.GET.urlencode())
    return _storage_page(request)


@login_required
@require_POST
def storage_receive_view(request):
    if not can_keep_archive(request.user):
        return forbidden(request, _("Only the operations desk keeps the storage log."))
    form = StorageReceiveForm(request.POST, user=request.user, prefix="receive")
    if form.is_valid():
        try:
            storage_receive(actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The item is logged."))
            return HttpResponseRedirect(reverse("tenants:storage_list"))
    return _storage_page(request, receive_form=form, status=400)


@login_required
@require_POST
def storage_pick_up_view(request, pk: int):
    if not can_keep_archive(request.user):
        return forbidden(request, _("Only the operations desk hands out stored items."))
    item = get_object_or_404(storage_visible_to(request.user), pk=pk)
    form = PickUpForm(request.POST, prefix=f"pick{pk}")
    if not form.is_valid():
        return _storage_page(request, pick_up_error=_("Say who picked it up."), status=400)
    try:
        storage_pick_up(actor=request.user, item=item, picked_up_by=form.cleaned_data["picked_up_by"])
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        return _storage_page(request, pick_up_error=error.message, status=400)
    messages.success(request, _("Picked up: %(item)s.") % {"item": item.item})
    return HttpResponseRedirect(reverse("tenants:storage_list"))


@login_required
def recording_archive(request):
    user = request.user
    if not sees_whole_desk(user):
        return forbidden(request, _("The recording archive is the desk's."))
    archived = (
        recording_visible_to(user)
        .filter(archived_at__isnull=False)
        .select_related("request__tenant", "archived_by")
        .order_by("-archived_at", "-pk")
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(RecordingArchiveExport(), archived, user=user, query=request.GET.urlencode())
    purges = visible_to(user, RecordingPurge.objects.all()).order_by("-purged_at", "-pk")[:200]
    context = {"archived": archived[:200], "purges": purges, "tab": request.GET.get("tab", "archive")}
    return render(request, "tenants/recording_archive.html", context)


urlpatterns = [
    path("storage/", storage_list, name="storage_list"),
    path("storage/receive/", storage_receive_view, name="storage_receive"),
    path("storage/<int:pk>/pick-up/", storage_pick_up_view, name="storage_pick_up"),
    path("recordings/", recording_archive, name="recording_archive"),
]
