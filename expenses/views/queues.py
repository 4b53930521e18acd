"""The work queues beside the signer's (DSH-02): "waiting for my approval" — special fees
(EXP-09), contact changes (CUS-05) and confidentiality exceptions (EXP-13), each approved
on its own page — and the month's roster of a department's reps with a reminder button
(EXP-06, EXP-07, JOB-01, JOB-09)."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.months import month_error, parse_month

from ..selectors_pages import previous_month
from ..selectors_queues import approvals_for, may_see_approvals, may_see_roster, month_roster, roster_reps
from ..services.reminders import may_remind, statement_remind


def approvals(request):
    """Everything the user may approve now, oldest first, each linking to its own page."""
    if not may_see_approvals(request.user):
        raise Http404
    return render(request, "expenses/approvals.html", {"items": approvals_for(request.user)})


def _bad_request(request, detail: str):
    return render(request, "400.html", {"detail": detail}, status=400)


def _month(request, data, *, default=None):
    """The month of ?month=YYYY-MM (a month that has ended); None when it is not one."""
    value = data.get("month", "")
    if not value and default is not None:
        return default
    try:
        month = parse_month(value)
    except ValueError:
        return None
    return month if month < timezone.localdate().replace(day=1) else None


def _month_refused() -> str:
    return f"{month_error()} {_('A statement is filed only for a month that has ended.')}"


def roster(request):
    """Every rep of the user's department for a month — those without a statement too — with
    the statement's state and where it stands against the 3rd and 8th working days."""
    user = request.user
    if not may_see_roster(user):
        raise Http404
    month = _month(request, request.GET, default=previous_month())
    if month is None:
        return _bad_request(request, _month_refused())
    now = timezone.now()
    rows, due_at, review_due_at = month_roster(user, month, now=now)
    reminding = may_remind(user)
    return render(
        request,
        "expenses/roster.html",
        {
            "month": month,
            "rows": rows,
            "due_at": due_at,
            "review_due_at": review_due_at,
            "may_remind": reminding,
            "not_handed_in": sum(1 for row in rows if not row.handed_in),
            "show_department": not user.department_id or any(r.rep.department_id != user.department_id for r in rows),
        },
    )


@require_POST
def roster_remind(request):
    """One rep (`rep`) or every rep not handed in (`all`); the same message and key as the
    JOB-01 reminder, so today's reminder reaches each rep once whoever sends it."""
    user = request.user
    if not may_see_roster(user):
        raise Http404
    month = _month(request, request.POST)
    if month is None:
        return _bad_request(request, _month_refused())
    reps = None
    if "all" not in request.POST:
        try:
            rep_id = int(request.POST.get("rep", ""))
        except ValueError:
            return _bad_request(request, _("Choose the rep to remind."))
        reps = [get_object_or_404(roster_reps(user), pk=rep_id)]
    back = HttpResponseRedirect(f"{reverse('expenses:roster')}?month={month:%Y-%m}")
    try:
        sent, already = statement_remind(actor=user, month=month, reps=reps)
    except PermissionDenied as error:
        return render(request, "403.html", {"detail": error.message}, status=403)
    except DomainError as error:
        messages.error(request, error.message)
        return back
    if sent:
        messages.success(
            request, ngettext("Reminder sent to %(n)d rep.", "Reminder sent to %(n)d reps.", sent) % {"n": sent}
        )
    if already:
        messages.info(
            request,
            ngettext(
                "%(n)d rep was already reminded today and is not reminded twice.",
                "%(n)d reps were already reminded today and are not reminded twice.",
                already,
            )
            % {"n": already},
        )
    return back


urlpatterns = [
    path("approvals/", approvals, name="approvals"),
    path("roster/", roster, name="roster"),
    path("roster/remind/", roster_remind, name="roster_remind"),
]
