"""Tenant meetings 租户大会 (TEN-05): the list with the year's targets, the form with the
attendance, and the meeting page where each suggestion is logged as a request. Operations
writes; management reads; anyone else gets 403 on the list and 404 on a meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..exports_meetings import MeetingExport
from ..filters_meetings import MeetingFilter
from ..forms_meetings import MeetingForm, SuggestionForm
from ..models import MeetingAttendance, TenantContact
from ..permissions_meetings import can_run_meetings, opens_meeting_pages
from ..selectors import request_visible_to, tenant_visible_to
from ..selectors_meetings import meeting_list, meeting_targets, meeting_visible_to
from ..services.meetings import meeting_add_suggestion, meeting_create, meeting_update
from .archive import forbidden


class MeetingListView(FilteredListView):
    """The meetings (TEN-05, DSH-03) and the targets of the year filtered (this year by default)."""

    template_name = "tenants/meeting_list.html"
    filterset_class = MeetingFilter
    export_class = MeetingExport
    sort_options = {
        "held_on": (gettext_lazy("Held on"), "held_on"),
        "title": (gettext_lazy("Title"), "title"),
        "attendees": (gettext_lazy("Attendees"), "attendee_count"),
    }
    default_sort = "-held_on"

    def dispatch(self, request, *args, **kwargs):
        if not opens_meeting_pages(request.user):
            return forbidden(request, _("Tenant meetings are the operations desk's."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return meeting_list(self.request.user).select_related("organised_by")

    def target_year(self) -> int:
        form = self.filterset.form if self.filterset is not None else None
        if form is not None and form.is_valid() and form.cleaned_data.get("year"):
            return int(form.cleaned_data["year"])
        return timezone.localdate().year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["targets"] = meeting_targets(self.request.user, self.target_year())
        context["can_edit"] = can_run_meetings(self.request.user)
        return context


def _current_tenants(user):
    main = Prefetch("contacts", queryset=TenantContact.objects.order_by("-is_primary", "name", "pk"))
    return tenant_visible_to(user).filter(moved_out_at__isnull=True).prefetch_related(main).order_by("unit", "pk")


def _picked(post, tenants) -> dict[int, str] | None:
    """{tenant id: attendee name} from the ticked boxes, or None when the POST is not well formed."""
    try:
        picked = {int(value) for value in post.getlist("attendees")}
    except (TypeError, ValueError):
        return None
    if any(pk <= 0 or pk > 2**31 - 1 for pk in picked):
        return None
    return {pk: post.get(f"attendee_name_{pk}", "") for pk in picked}


def _attendance_rows(tenants, chosen: dict[int, str]):
    rows = []
    for tenant in tenants:
        contacts = list(tenant.contacts.all())
        default = contacts[0].name if contacts else ""
        rows.append((tenant, tenant.pk in chosen, chosen.get(tenant.pk) or default))
    return rows


def _meeting_form(request, meeting=None):
    user = request.user
    if not can_run_meetings(user):
        return forbidden(request, _("Only operations organises tenant meetings."))
    tenants = list(_current_tenants(user))
    status = 200
    if meeting is not None:
        chosen = dict(meeting.attendances.values_list("tenant_id", "attendee_name"))
    else:
        chosen = {}
    attendance_error = ""
    if request.method == "POST":
        form = MeetingForm(request.POST)
        picked = _picked(request.POST, tenants)
        if picked is None:
            attendance_error = _("Pick the tenants who attended from the list.")
        else:
            chosen = picked
        if form.is_valid() and picked is not None:
            try:
                values = {**form.cleaned_data, "attendees": picked}
                if meeting is None:
                    saved = meeting_create(actor=user, **values)
                else:
                    saved = meeting_update(actor=user, meeting=meeting, **values)
            except PermissionDenied as error:
                return forbidden(request, error.message)
            except DomainError as error:
                if error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    attendance_error = error.message
            else:
                messages.success(request, _("The meeting is saved."))
                return HttpResponseRedirect(reverse("tenants:meeting_detail", args=[saved.pk]))
        status = 400
    else:
        form = MeetingForm(initial=MeetingForm.initial_of(meeting) if meeting else {"kind": "quarterly"})
    context = {
        "form": form,
        "meeting": meeting,
        "attendance": _attendance_rows(tenants, chosen),
        "attendance_error": attendance_error,
    }
    return render(request, "tenants/meeting_form.html", context, status=status)


@login_required
def meeting_new(request):
    return _meeting_form(request)


@login_required
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(meeting_visible_to(request.user), pk=pk)
    return _meeting_form(request, meeting)


def _meeting_page(request, meeting, *, suggestion_form=None, status=200):
    user = request.user
    attendances = MeetingAttendance.objects.filter(meeting=meeting).select_related("tenant").order_by("tenant__unit")
    suggestions = (
        request_visible_to(user)
        .filter(meeting=meeting)
        .select_related("tenant", "department")
        .order_by("logged_at", "pk")
    )
    may_suggest = can_run_meetings(user) and meeting.held_on <= timezone.localdate()
    context = {
        "meeting": meeting,
        "attendances": attendances,
        "suggestions": suggestions,
        "history": history_entries(meeting),
        "can_edit": can_run_meetings(user),
        "suggestion_form": suggestion_form or (SuggestionForm(meeting=meeting) if may_suggest else None),
    }
    return render(request, "tenants/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(meeting_visible_to(request.user).select_related("organised_by"), pk=pk)
    return _meeting_page(request, meeting)


@login_required
@require_POST
def meeting_suggest(request, pk: int):
    meeting = get_object_or_404(meeting_visible_to(request.user), pk=pk)
    if not can_run_meetings(request.user):
        return forbidden(request, _("Only operations logs the suggestions of a tenant meeting."))
    form = SuggestionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            created = meeting_add_suggestion(actor=request.user, meeting=meeting, **form.cleaned_data)
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Logged as request %(reference)s.") % {"reference": created.reference})
            return HttpResponseRedirect(reverse("tenants:meeting_detail", args=[meeting.pk]))
    return _meeting_page(request, meeting, suggestion_form=form, status=400)


urlpatterns = [
    path("meetings/", login_required(MeetingListView.as_view()), name="meeting_list"),
    path("meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/suggestions/", meeting_suggest, name="meeting_suggest"),
]
