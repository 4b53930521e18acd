"""The monthly statement pages (EXP-04 … EXP-08, EXP-13): the statement with its lines,
allocations, signatures and history; its actions; the 附表1/附表2 forms; the list of
statements and the signer's queue. Views are thin: look up through the access selectors,
call a service, turn domain errors into messages."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.listing import FilteredListView

from ..exports.form1 import form1_response
from ..exports.form2 import form2_response
from ..exports.lists import QueueExport, StatementExport
from ..filters import QueueFilter, StatementFilter
from ..forms import NotesForm, ReturnForm, StatementCreateForm
from ..models import ReviewAction, SignerRole, StatementStatus
from ..permissions import can_sign
from ..selectors import statement_visible_to
from ..selectors_journey import statement_journey
from ..selectors_pages import (
    deadline_for,
    previous_month,
    queue_for,
    statement_list_for,
    statement_page,
    submitted_in_round,
)
from ..services.archive import statement_file_copy, statement_file_original
from ..services.review import signers_for, statement_return, statement_sign, waiting_for
from ..services.statements import statement_create, statement_recalculate, statement_submit, statement_update_notes

IN_REVIEW = (StatementStatus.SUBMITTED, StatementStatus.CLERK_SIGNED, StatementStatus.MANAGER_SIGNED)


def _statement_for(request, pk: int):
    """EXP-13: another rep's or another department's statement is a 404."""
    return get_object_or_404(
        statement_visible_to(request.user).select_related(
            "rep", "rep__department", "archived_original_by", "archived_copy_by"
        ),
        pk=pk,
    )


def _detail_url(statement) -> str:
    return reverse("expenses:statement_detail", args=[statement.pk])


def _forbidden(request, error: DomainError):
    messages.error(request, error.message)
    return render(request, "403.html", status=403)


def statement_detail(request, pk: int):
    statement = _statement_for(request, pk)
    user = request.user
    page = statement_page(statement, user=user)
    editable = statement.rep_id == user.pk and statement.is_editable
    signing = can_sign(user, statement)
    signer_role = waiting_for(statement)
    now = timezone.now()
    signature_rows = [
        {
            "label": _("Sales representative"),
            "name": statement.rep.display_name if submitted_in_round(statement) else "",
            "at": statement.submitted_at if submitted_in_round(statement) else None,
        }
    ]
    for role in SignerRole:
        signature = page.signatures.get(role.value)
        signature_rows.append(
            {
                "label": role.label,
                "name": signature.user.display_name if signature else "",
                "at": signature.signed_at if signature else None,
                "waiting": role.value == signer_role,
            }
        )
    return render(
        request,
        "expenses/statement_detail.html",
        {
            "statement": statement,
            "page": page,
            "deadline": deadline_for(due_at=statement.due_at, statement=statement, now=now),
            "review_overdue": statement.status in IN_REVIEW and now > statement.review_due_at,
            "waiting_for": SignerRole(signer_role).label if signer_role else None,
            "can_edit": editable,
            "can_sign": signing,
            "notes_form": NotesForm(initial={"notes": statement.notes}) if editable else None,
            "return_form": ReturnForm() if signing else None,
            "sign_question": sign_question(statement, page.total_payable) if signing else "",
            "signature_rows": signature_rows,
            "now": now,
            "journey": statement_journey(statement, user=user, now=now),
            **_returned(statement, page, editable),
        },
    )


def _returned(statement, page, editable: bool) -> dict:
    """EXP-07: a returned statement says at the top who returned it, when and why, and what
    the rep does next: the clerk corrects the purchases, the rep recalculates and resubmits."""
    if statement.status != StatementStatus.RETURNED:
        return {}
    event = next((event for event in reversed(page.events) if event.action == ReviewAction.RETURN), None)
    month = f"{statement.month:%Y-%m}"
    return {
        "returned_by": event,
        "clerks": list(signers_for(statement, SignerRole.CLERK).order_by("username")) if editable else [],
        "purchases_url": f"{reverse('customers:purchase_list')}?month_from={month}&month_to={month}",
    }


@require_POST
def statement_create_view(request):
    """EXP-06: the rep creates the statement of a past month, by default the previous one."""
    form = StatementCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["month"][0])
        return HttpResponseRedirect(reverse("expenses:home"))
    month = form.cleaned_data["month"] or previous_month()
    try:
        statement = statement_create(actor=request.user, month=month)
    except PermissionDenied as error:
        return _forbidden(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("expenses:home"))
    messages.success(
        request,
        _("Statement for %(month)s created and pre-filled. Check it, add notes and submit it.")
        % {"month": f"{statement.month:%Y-%m}"},
    )
    return HttpResponseRedirect(_detail_url(statement))


def _act(request, pk: int, action, success: str):
    statement = _statement_for(request, pk)
    try:
        action(statement)
    except PermissionDenied as error:
        return _forbidden(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(_detail_url(statement))


@require_POST
def statement_submit_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda statement: statement_submit(actor=request.user, statement=statement),
        _("Submitted. The sales clerk signs next."),
    )


@require_POST
def statement_recalculate_view(request, pk: int):
    return _act(
        request,
        pk,
        lambda statement: statement_recalculate(actor=request.user, statement=statement),
        _("Recalculated from today's purchases, collections, standards and shares."),
    )


@require_POST
def statement_notes_view(request, pk: int):
    form = NotesForm(request.POST)
    if not form.is_valid():
        statement = _statement_for(request, pk)
        messages.error(request, form.errors["notes"][0])
        return HttpResponseRedirect(_detail_url(statement))
    return _act(
        request,
        pk,
        lambda statement: statement_update_notes(
            actor=request.user, statement=statement, notes=form.cleaned_data["notes"]
        ),
        _("Notes saved."),
    )


def sign_question(statement, total) -> str:
    """The one confirmation asked before signing (crm.js `data-confirm`): what is signed."""
    return _("Sign %(rep)s's statement for %(month)s, total ¥%(total)s?") % {
        "rep": statement.rep.display_name,
        "month": f"{statement.month:%Y-%m}",
        "total": f"{total:,.2f}",
    }


def _sign_as_seen(request, statement):
    """The browser confirmed the statement of the round it showed; if it was returned and
    resubmitted since (a new round), the signer has not seen what they would sign."""
    seen = request.POST.get("cycle", "")
    if seen and seen != str(statement.cycle):
        raise DomainError(_("This statement has changed since you opened it: check it again before signing."))
    return statement_sign(actor=request.user, statement=statement)


@require_POST
def statement_sign_view(request, pk: int):
    """EXP-07: the clerk, then the manager, then finance; the service refuses anything else."""
    return _act(request, pk, lambda statement: _sign_as_seen(request, statement), _("Signed."))


@require_POST
def statement_file_original_view(request, pk: int):
    """EXP-08: finance records that it has filed the signed original."""
    return _act(
        request,
        pk,
        lambda statement: statement_file_original(actor=request.user, statement=statement),
        _("Recorded: the signed original is filed by finance."),
    )


@require_POST
def statement_file_copy_view(request, pk: int):
    """EXP-08: the sales clerk records that sales has filed a copy."""
    return _act(
        request,
        pk,
        lambda statement: statement_file_copy(actor=request.user, statement=statement),
        _("Recorded: the copy is filed by sales."),
    )


@require_POST
def statement_return_view(request, pk: int):
    form = ReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda statement: statement_return(actor=request.user, statement=statement, comment=comment),
        _("Returned to the rep with your comment."),
    )


def statement_form1_view(request, pk: int):
    """附表1 as Excel (DSH-03), for whoever may see the statement (EXP-13)."""
    statement = _statement_for(request, pk)
    return form1_response(statement_page(statement, user=request.user), user=request.user)


def statement_form2_view(request, pk: int):
    """附表2 as Excel (DSH-03)."""
    statement = _statement_for(request, pk)
    return form2_response(statement_page(statement, user=request.user), user=request.user)


class StatementListView(FilteredListView):
    """All statements the user may see (EXP-13), for signers, the director and finance."""

    template_name = "expenses/statement_list.html"
    filterset_class = StatementFilter
    export_class = StatementExport
    sort_options = {
        "month": (gettext_lazy("Month"), "month"),
        "rep": (gettext_lazy("Rep"), "rep__username"),
        "status": (gettext_lazy("Status"), "status"),
        "submitted": (gettext_lazy("Submitted"), "submitted_at"),
        "payable": (gettext_lazy("Payable"), "total_payable"),
    }
    default_sort = "-month"

    def base_queryset(self):
        return statement_list_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


class QueueView(FilteredListView):
    """Waiting for my signature, oldest first (EXP-07)."""

    template_name = "expenses/queue.html"
    filterset_class = QueueFilter
    export_class = QueueExport
    sort_options = {
        "submitted": (gettext_lazy("Waiting since"), "submitted_at"),
        "month": (gettext_lazy("Month"), "month"),
        "rep": (gettext_lazy("Rep"), "rep__username"),
        "review_due": (gettext_lazy("Review due"), "review_due_at"),
    }
    default_sort = "submitted"

    def base_queryset(self):
        return queue_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


urlpatterns = [
    path("statements/", StatementListView.as_view(), name="statement_list"),
    path("statements/new/", statement_create_view, name="statement_create"),
    path("statements/<int:pk>/", statement_detail, name="statement_detail"),
    path("statements/<int:pk>/submit/", statement_submit_view, name="statement_submit"),
    path("statements/<int:pk>/recalculate/", statement_recalculate_view, name="statement_recalculate"),
    path("statements/<int:pk>/notes/", statement_notes_view, name="statement_notes"),
    path("statements/<int:pk>/sign/", statement_sign_view, name="statement_sign"),
    path("statements/<int:pk>/return/", statement_return_view, name="statement_return"),
    path("statements/<int:pk>/file-original/", statement_file_original_view, name="statement_file_original"),
    path("statements/<int:pk>/file-copy/", statement_file_copy_view, name="statement_file_copy"),
    path("statements/<int:pk>/form1.xlsx", statement_form1_view, name="statement_form1"),
    path("statements/<int:pk>/form2.xlsx", statement_form2_view, name="statement_form2"),
    path("queue/", QueueView.as_view(), name="queue"),
]
