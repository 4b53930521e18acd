"""Advances 借支 and the manager's spot-check (EXP-10): the rep's advances and request form,
finance's "pay", and the spot-check of a statement's payouts."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError
from crm_project.core.listing import FilteredListView

from ..exports.finance import AdvanceExport
from ..forms_payout import AdvanceFilter, AdvanceForm, NoteForm, SpotCheckForm
from ..models import AdvanceStatus, FeeSettings, SpotCheck, StatementLine
from ..selectors import advance_visible_to, statement_visible_to
from ..services.advances import (
    advance_available,
    advance_opens_on,
    advance_pay,
    advance_reject,
    advance_request,
    advances_waiting_for_spot_check,
    drawn_on,
    is_department_manager,
    outstanding_advances,
    spot_check_record,
    spot_check_size,
    statement_payable,
)
from .signoff import back_to, fee_user_or_404, payout_url


class AdvanceListView(FilteredListView):
    """The rep's own advances (finance: everyone's; managers: their department's)."""

    template_name = "expenses/advance_list.html"
    filterset_class = AdvanceFilter
    export_class = AdvanceExport
    sort_options = {
        "requested": (gettext_lazy("Requested"), "requested_at"),
        "amount": (gettext_lazy("Amount"), "amount"),
        "status": (gettext_lazy("Status"), "status"),
    }
    default_sort = "-requested"

    def get(self, request, *args, **kwargs):
        fee_user_or_404(request.user)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return advance_visible_to(self.request.user).select_related("rep", "statement", "paid_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_finance"] = user.has_role(Role.FINANCE)
        if user.has_role(Role.SALES_REP):
            context.update(
                is_rep=True,
                cap=FeeSettings.load().advance_cap,
                outstanding=outstanding_advances(user),
                available=advance_available(user),
                waiting_for_check=advances_waiting_for_spot_check(user),
            )
        return context


def advance_request_view(request):
    fee_user_or_404(request.user)
    if not request.user.has_role(Role.SALES_REP):
        return render(request, "403.html", status=403)
    form = AdvanceForm(request.POST or None, user=request.user, initial={"statement": request.GET.get("statement")})
    if request.method == "POST" and form.is_valid():
        try:
            advance = advance_request(
                actor=request.user, statement=form.cleaned_data["statement"], amount=form.cleaned_data["amount"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Advance of ¥%(amount)s requested; finance pays it out.") % {
                "amount": f"{advance.amount:,.2f}"})  # fmt: skip
            return HttpResponseRedirect(reverse("expenses:advance_detail", args=[advance.pk]))
    statements = [
        {
            "statement": statement,
            "opens_on": advance_opens_on(statement),
            "left": statement_payable(statement) - drawn_on(statement),
        }
        for statement in form.fields["statement"].queryset
    ]
    return render(
        request,
        "expenses/advance_form.html",
        {
            "form": form,
            "statements": statements,
            "cap": FeeSettings.load().advance_cap,
            "available": advance_available(request.user),
            "waiting_for_check": advances_waiting_for_spot_check(request.user),
        },
    )


def _advance_for(request, pk: int):
    return get_object_or_404(advance_visible_to(request.user).select_related("rep", "statement", "paid_by"), pk=pk)


def advance_detail(request, pk: int):
    advance = _advance_for(request, pk)
    user = request.user
    checks = list(
        SpotCheck.objects.filter(statement_id=advance.statement_id)
        .select_related("checked_by")
        .prefetch_related("customers")
    )
    spot_checked = any(c.all_confirmed and advance.paid_at and c.checked_at >= advance.paid_at for c in checks)
    return render(
        request,
        "expenses/advance_detail.html",
        {
            "advance": advance,
            "spot_checks": checks,
            "spot_checked": spot_checked,
            "may_pay": user.has_role(Role.FINANCE)
            and advance.status == AdvanceStatus.REQUESTED
            and advance.rep_id != user.pk,
            "may_spot_check": is_department_manager(user, advance.rep) and advance.status == AdvanceStatus.PAID,
            "reject_form": NoteForm(),
        },
    )


@require_POST
def advance_pay_view(request, pk: int):
    advance = _advance_for(request, pk)
    try:
        advance_pay(actor=request.user, advance=advance)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Advance paid out to %(rep)s.") % {"rep": advance.rep.display_name})
    return back_to(request, reverse("expenses:advance_detail", args=[advance.pk]))


@require_POST
def advance_reject_view(request, pk: int):
    advance = _advance_for(request, pk)
    form = NoteForm(request.POST)
    try:
        advance_reject(actor=request.user, advance=advance, note=form.data.get("note", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Advance declined."))
    return back_to(request, reverse("expenses:advance_detail", args=[advance.pk]))


def spot_check_view(request, pk: int):
    """The sales manager records that N customers of the statement confirmed their contacts
    received the fees (EXP-10)."""
    statement = get_object_or_404(statement_visible_to(request.user).select_related("rep"), pk=pk)
    if not is_department_manager(request.user, statement.rep):
        return render(request, "403.html", status=403)
    lines = StatementLine.objects.filter(statement=statement).select_related("customer").order_by("customer__name")
    customers = list({line.customer_id: line.customer for line in lines}.values())
    size = spot_check_size(statement)
    form = SpotCheckForm(request.POST or None, customers=customers, size=size)
    if request.method == "POST" and form.is_valid():
        try:
            spot_check_record(
                actor=request.user,
                statement=statement,
                customers=form.cleaned_data["customers"],
                all_confirmed=form.cleaned_data["all_confirmed"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Spot-check recorded."))
            return HttpResponseRedirect(payout_url(statement.pk))
    return render(request, "expenses/advance_spot_check.html", {"form": form, "statement": statement, "size": size})


urlpatterns = [
    path("advances/", AdvanceListView.as_view(), name="advance_list"),
    path("advances/new/", advance_request_view, name="advance_request"),
    path("advances/<int:pk>/", advance_detail, name="advance_detail"),
    path("advances/<int:pk>/pay/", advance_pay_view, name="advance_pay"),
    path("advances/<int:pk>/reject/", advance_reject_view, name="advance_reject"),
    path("payouts/<int:pk>/spot-check/", spot_check_view, name="spot_check"),
]
