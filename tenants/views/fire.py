"""The fire-safety inspection pages 消防安全检查 (TEN-07): this month's progress by floor, the
result form per unit (phone friendly), the inspections by month, the rectification letters 整改函
(list, printable letter, re-inspection). Operations and the safety department write; management
reads; anyone else gets 403 on a list and 404 on a record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.access import visible_to
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.files import visible_file_response
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..access_rules_fire import can_inspect, sees_fire_inspections
from ..exports_fire import InspectionExport, RectificationExport
from ..filters_fire import InspectionFilter, RectificationFilter
from ..forms_fire import ReinspectForm, ResultForm
from ..models import FireInspectionNotice, FireInspectionPhoto, InspectionResult, Rectification
from ..selectors_fire import (
    floor_progress,
    inspection_units,
    inspection_visible_to,
    rectification_visible_to,
    result_visible_to,
    this_month,
    with_overdue,
)
from ..services.fire import check_item_label, current_tenants, issue_monthly_notice, record_result, reinspect
from .archive import forbidden

NOT_YOURS = gettext_lazy("The fire-safety inspection is for operations and the safety department.")


def _gate(request):
    """403 for anyone outside the fire team and management, or None."""
    if not sees_fire_inspections(request.user):
        return forbidden(request, NOT_YOURS)
    return None


def _inspection_for(request, pk: int):
    """404 for a record the user may not see (ORG-02)."""
    return get_object_or_404(inspection_visible_to(request.user), pk=pk)


# --- progress by floor ----------------------------------------------------------------------------


def _progress_page(request, inspection, *, month):
    floors, total = floor_progress(inspection) if inspection else ([], None)
    chosen = request.GET.get("floor", "")
    shown = [floor for floor in floors if not chosen or floor.floor == chosen]
    context = {
        "inspection": inspection,
        "month": month,
        "floors": floors,
        "shown": shown,
        "chosen_floor": chosen,
        "total": total,
        "is_this_month": month == this_month(),
        "can_act": can_inspect(request.user),
        "unnoticed": _unnoticed(inspection) if inspection and month == this_month() else 0,
    }
    return render(request, "tenants/fire_progress.html", context)


def _unnoticed(inspection) -> int:
    """Tenants who moved in after this month's notice went out: the page offers to notify them."""
    if not inspection.notice_issued_at:
        return 0
    return current_tenants().exclude(fire_notices__inspection=inspection).count()


@login_required
def fire_progress(request):
    if (refused := _gate(request)) is not None:
        return refused
    month = this_month()
    inspection = inspection_visible_to(request.user).filter(month=month).first()
    return _progress_page(request, inspection, month=month)


@login_required
def fire_inspection_detail(request, pk: int):
    # A record: whoever may not see it gets 404 from the access registry (ORG-02).
    inspection = _inspection_for(request, pk)
    return _progress_page(request, inspection, month=inspection.month)


@login_required
@require_POST
def fire_issue_notice(request):
    if not can_inspect(request.user):
        return forbidden(request, _("Only operations and the safety department issue the inspection notice."))
    try:
        count = issue_monthly_notice(month=this_month(), actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The notice is issued to %(count)s tenants.") % {"count": count})
    return HttpResponseRedirect(reverse("tenants:fire_progress"))


# --- the result of one unit -----------------------------------------------------------------------


def _unit_for(inspection, tenant_pk: int):
    unit = inspection_units(inspection).filter(pk=tenant_pk).first()
    if unit is None:
        raise Http404
    return unit


def _result_page(request, inspection, unit, form, status=200):
    result = None
    if unit.result_id:
        result = InspectionResult.objects.select_related("inspector").prefetch_related("photos").get(pk=unit.result_id)
    context = {
        "inspection": inspection,
        "unit": unit,
        "result": result,
        "result_items": [check_item_label(code) for code in result.items_checked] if result else [],
        "form": form,
        "can_act": can_inspect(request.user),
    }
    return render(request, "tenants/fire_result_form.html", context, status=status)


@login_required
def fire_result(request, pk: int, tenant_pk: int):
    # A record: whoever may not see it gets 404 from the access registry (ORG-02).
    inspection = _inspection_for(request, pk)
    unit = _unit_for(inspection, tenant_pk)
    if request.method != "POST":
        form = ResultForm(initial={"items": []}) if can_inspect(request.user) and not unit.result_id else None
        return _result_page(request, inspection, unit, form)
    if not can_inspect(request.user):
        return forbidden(request, _("Only operations and the safety department record inspection results."))
    form = ResultForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            record_result(
                actor=request.user,
                inspection=inspection,
                tenant=unit,
                items=form.cleaned_data["items"],
                passed=form.passed,
                findings=form.cleaned_data["findings"],
                photos=form.cleaned_data["photos"],
            )
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Unit %(unit)s: the result is recorded.") % {"unit": unit.unit})
            url = reverse("tenants:fire_inspection_detail", args=[inspection.pk])
            return HttpResponseRedirect(f"{url}?{urlencode({'floor': unit.floor})}")
    return _result_page(request, inspection, unit, form, status=400)


# --- inspections by month -------------------------------------------------------------------------


def _count(queryset, **filters):
    """COUNT(*) of a correlated subquery: one query for the page, whatever its length."""
    counted = queryset.filter(**filters).order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class InspectionListView(FilteredListView):
    template_name = "tenants/fire_inspection_list.html"
    filterset_class = InspectionFilter
    export_class = InspectionExport
    sort_options = {"month": (gettext_lazy("Month"), "month")}
    default_sort = "-month"

    def dispatch(self, request, *args, **kwargs):
        if (refused := _gate(request)) is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        first = InspectionResult.objects.filter(inspection=OuterRef("pk"), reinspects__isnull=True)
        open_letters = Rectification.objects.filter(result__inspection=OuterRef("pk"), status=Rectification.Status.OPEN)
        return inspection_visible_to(self.request.user).annotate(
            notice_count=_count(FireInspectionNotice.objects.filter(inspection=OuterRef("pk"))),
            checked_count=_count(first),
            failed_count=_count(first, passed=False),
            open_count=_count(open_letters),
        )


# --- rectification letters ------------------------------------------------------------------------


class RectificationListView(FilteredListView):
    template_name = "tenants/fire_rectification_list.html"
    filterset_class = RectificationFilter
    export_class = RectificationExport
    sort_options = {
        "due_on": (gettext_lazy("Rectify by"), "due_on"),
        "unit": (gettext_lazy("Unit number"), "result__unit"),
        "issued_at": (gettext_lazy("Issued at"), "issued_at"),
        "status": (gettext_lazy("Status"), "status"),
    }
    default_sort = "due_on"

    def dispatch(self, request, *args, **kwargs):
        if (refused := _gate(request)) is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return with_overdue(rectification_visible_to(self.request.user)).select_related(
            "tenant", "result__inspection", "rectified_by"
        )


def _letter_for(request, pk: int):
    queryset = with_overdue(rectification_visible_to(request.user)).select_related(
        "tenant", "result__inspection", "result__inspector", "rectified_by"
    )
    return get_object_or_404(queryset, pk=pk)


def _letter_page(request, letter, form=None, status=200):
    can_act = can_inspect(request.user) and letter.status == Rectification.Status.OPEN
    reinspections = (
        result_visible_to(request.user)
        .filter(reinspects=letter)
        .select_related("inspector")
        .prefetch_related("photos")
        .order_by("checked_at", "pk")
    )
    first = InspectionResult.objects.prefetch_related("photos").get(pk=letter.result_id)
    context = {
        "letter": letter,
        "first": first,
        "first_items": [check_item_label(code) for code in first.items_checked],
        "reinspections": reinspections,
        "form": form or (ReinspectForm() if can_act else None),
        "can_act": can_act,
        "history": history_entries(letter),
        "today": timezone.localdate(),
    }
    return render(request, "tenants/fire_letter.html", context, status=status)


@login_required
def fire_rectification_detail(request, pk: int):
    # A record: whoever may not see it gets 404 from the access registry (ORG-02).
    return _letter_page(request, _letter_for(request, pk))


@login_required
@require_POST
def fire_reinspect(request, pk: int):
    # A record: whoever may not see it gets 404 from the access registry (ORG-02).
    letter = _letter_for(request, pk)
    if not can_inspect(request.user):
        return forbidden(request, _("Only operations and the safety department re-inspect."))
    form = ReinspectForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            letter = reinspect(
                actor=request.user,
                rectification=letter,
                passed=form.passed,
                findings=form.cleaned_data["findings"],
                photos=form.cleaned_data["photos"],
            )
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if letter.status == Rectification.Status.RECTIFIED:
                messages.success(request, _("Rectified: the letter is closed."))
            else:
                messages.warning(request, _("Not yet rectified: the letter stays open with the new findings."))
            return HttpResponseRedirect(reverse("tenants:fire_rectification_detail", args=[letter.pk]))
    return _letter_page(request, _letter_for(request, pk), form=form, status=400)


@login_required
def fire_photo_file(request, pk: int):
    queryset = FireInspectionPhoto.objects.all()
    photo = get_object_or_404(visible_to(request.user, queryset).values("content_type"), pk=pk)
    return visible_file_response(
        request.user, queryset, pk=pk, field="file", name_field="original_name", inline_type=photo["content_type"]
    )


urlpatterns = [
    path("fire-safety/", fire_progress, name="fire_progress"),
    path("fire-safety/issue-notice/", fire_issue_notice, name="fire_issue_notice"),
    path("fire-safety/inspections/", login_required(InspectionListView.as_view()), name="fire_inspection_list"),
    path("fire-safety/inspections/<int:pk>/", fire_inspection_detail, name="fire_inspection_detail"),
    path("fire-safety/inspections/<int:pk>/units/<int:tenant_pk>/", fire_result, name="fire_result"),
    path(
        "fire-safety/rectifications/",
        login_required(RectificationListView.as_view()),
        name="fire_rectification_list",
    ),
    path("fire-safety/rectifications/<int:pk>/", fire_rectification_detail, name="fire_rectification_detail"),
    path("fire-safety/rectifications/<int:pk>/reinspect/", fire_reinspect, name="fire_reinspect"),
    path("fire-safety/photos/<int:pk>/file/", fire_photo_file, name="fire_photo_file"),
]
