"""Pages of the payout of a valid statement (EXP-10, EXP-11, EXP-12): the statement's sign-off
sheets with deadlines, advances and spot-checks; the sheet list; the per-sheet actions; and
the contact's public one-time confirmation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import RedirectView

from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.files import visible_file_response
from crm_project.core.listing import FilteredListView
from crm_project.core.ratelimits import ALL_METHODS, rate_limit

from ..exports.finance import SignoffSheetExport
from ..exports.form4 import form4_response
from ..forms_payout import PaperUploadForm, SignoffSheetFilter, WriteOffForm
from ..models import Advance, SignoffSheet, SpotCheck, Statement, StatementStatus
from ..navigation import FEE_ROLES
from ..selectors import signoff_sheet_visible_to, statement_visible_to
from ..services.advances import (
    advance_opens_on,
    drawn_on,
    is_department_manager,
    spot_check_size,
    statement_payable,
)
from ..services.clawbacks import clawback_for_returns, clawbacks_due
from ..services.signoff import (
    contact_totals,
    payout_deadlines,
    sheet_for_token,
    signoff_confirm_by_link,
    signoff_link_issue,
    signoff_paper_upload,
    signoff_payout,
    signoff_payout_many,
    signoff_sheets_create,
    signoff_spot_check,
    signoff_spot_check_many,
    signoff_submit_to_finance,
    signoff_write_off,
)

SHEET_RELATED = ("statement", "statement__rep", "contact", "contact__customer", "payer", "spot_checked_by",
                 "written_off_by")  # fmt: skip


# --- shared by the payout pages ---------------------------------------------------------------


def fee_user_or_404(user) -> None:
    """Fee pages exist only for the people of EXP-13; to anyone else they are not there."""
    if not (user.is_superuser or user.has_role(*FEE_ROLES)):
        raise Http404


def back_to(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = default
    return HttpResponseRedirect(target or default)


def payout_url(statement_id: int) -> str:
    return reverse("expenses:signoff_statement", args=[statement_id])


# --- the payout page of a statement -----------------------------------------------------------


def _statement_for(request, pk: int) -> Statement:
    return get_object_or_404(statement_visible_to(request.user).select_related("rep", "rep__department"), pk=pk)


def signoff_statement(request, pk: int):
    """Sheets, deadlines, advances and spot-checks of one statement. A fixed number of queries
    whatever the number of sheets."""
    statement = _statement_for(request, pk)
    user = request.user
    sheets = list(SignoffSheet.objects.filter(statement=statement).select_related(*SHEET_RELATED))
    is_rep = statement.rep_id == user.pk
    is_finance = user.has_role(Role.FINANCE) and not is_rep
    is_manager = is_department_manager(user, statement.rep)
    valid = statement.status == StatementStatus.VALID
    deadlines = payout_deadlines(statement.month) if valid else None
    today = timezone.localdate()
    for sheet in sheets:
        sheet.may_pay = sheet.payer_id == user.pk and not sheet.paid_at
        sheet.may_confirm = sheet.payer_id == user.pk and sheet.paid_at and not sheet.confirmed_at
        sheet.may_spot_check = is_manager and sheet.confirmed_at and not sheet.spot_checked_at
        sheet.may_write_off = is_finance and sheet.submitted_to_finance_at and not sheet.written_off_at
    advances = list(Advance.objects.filter(statement=statement).select_related("paid_by"))
    checks = list(
        SpotCheck.objects.filter(statement=statement).select_related("checked_by").prefetch_related("customers")
    )
    dues = clawbacks_due(statement) if is_finance and valid else []
    may_create = is_rep and valid and not statement.written_off_at
    if may_create:  # only while a contact with a fee has no sheet yet
        may_create = bool(set(contact_totals(statement)) - {sheet.contact_id for sheet in sheets})
    return render(
        request,
        "expenses/signoff_statement.html",
        {
            "statement": statement,
            "sheets": sheets,
            "valid": valid,
            "deadlines": deadlines,
            "today": today,
            "is_rep": is_rep,
            "is_finance": is_finance,
            "is_manager": is_manager,
            "may_create_sheets": may_create,
            "deadline_rows": _deadline_rows(statement, deadlines, sheets, today),
            "may_submit": any(
                s.payer_id == user.pk and s.confirmed_at and not s.submitted_to_finance_at for s in sheets
            ),
            "unconfirmed": sum(1 for s in sheets if not s.confirmed_at),
            "bulk_pay": sum(1 for s in sheets if s.may_pay),
            "bulk_spot_check": sum(1 for s in sheets if s.may_spot_check),
            "total": sum((s.amount for s in sheets), start=0),
            "written_off_total": sum((s.written_off_amount or 0 for s in sheets), start=0),
            "advances": advances,
            "advances_open_on": advance_opens_on(statement) if valid else None,
            "payable": statement_payable(statement) if valid else None,
            "drawn": drawn_on(statement) if valid else None,
            "spot_checks": checks,
            "spot_check_size": spot_check_size(statement) if is_manager and valid else None,
            "clawbacks_due": dues,
            "clawback_total": sum((d.due for d in dues), start=0),
            "upload_form": PaperUploadForm(),
            "write_off_form": WriteOffForm(),
        },
    )


def _deadline_rows(statement: Statement, deadlines, sheets: list, today) -> list[tuple]:
    """(label, moment, past and still open) for the payout, sheets and write-off deadlines."""
    if deadlines is None:
        return []
    still_open = {
        "payout": not sheets or any(not sheet.paid_at for sheet in sheets),
        "sheets": not sheets or any(not sheet.submitted_to_finance_at for sheet in sheets),
        "writeoff": not statement.written_off_at,
    }
    labels = {"payout": _("Payouts by"), "sheets": _("Sheets to finance by"), "writeoff": _("Write-off by")}
    return [
        (labels[step], deadlines.moment(step), still_open[step] and today > getattr(deadlines, step))
        for step in ("payout", "sheets", "writeoff")
    ]


@require_POST
def signoff_sheets_create_view(request, pk: int):
    statement = _statement_for(request, pk)
    try:
        sheets = signoff_sheets_create(actor=request.user, statement=statement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)d sign-off sheets drawn up, one per contact.") % {"n": len(sheets)})
    return HttpResponseRedirect(payout_url(statement.pk))


@require_POST
def signoff_submit_view(request, pk: int):
    statement = _statement_for(request, pk)
    try:
        count = signoff_submit_to_finance(actor=request.user, statement=statement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)d confirmed sheets handed to finance.") % {"n": count})
    return HttpResponseRedirect(payout_url(statement.pk))


@require_POST
def clawback_view(request, pk: int):
    statement = _statement_for(request, pk)
    try:
        entries = clawback_for_returns(actor=request.user, statement=statement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        total = -sum(entry.amount for entry in entries)
        messages.success(request, _("Clawed back ¥%(total)s for returned goods.") % {"total": f"{total:,.2f}"})
    return back_to(request, payout_url(statement.pk))


def form4_statement_view(request, pk: int):
    statement = _statement_for(request, pk)
    sheets = list(SignoffSheet.objects.filter(statement=statement).select_related(*SHEET_RELATED))
    return form4_response(
        sheets, user=request.user, filename=f"附表4-{statement.rep.username}-{statement.month:%Y%m}",
        query=f"statement={statement.pk}",
    )  # fmt: skip


# --- one sheet ----------------------------------------------------------------------------------


def _sheet_for(request, pk: int) -> SignoffSheet:
    return get_object_or_404(signoff_sheet_visible_to(request.user).select_related(*SHEET_RELATED), pk=pk)


@require_POST
def signoff_pay_view(request, pk: int):
    sheet = _sheet_for(request, pk)
    try:
        signoff_payout(actor=request.user, sheet=sheet)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked paid: ¥%(amount)s to %(contact)s.") % {
            "amount": f"{sheet.amount:,.2f}", "contact": sheet.contact.name})  # fmt: skip
    return back_to(request, payout_url(sheet.statement_id))


@require_POST
def signoff_link_view(request, pk: int):
    """Issue the personal link and show it once, to copy or send to the contact."""
    sheet = _sheet_for(request, pk)
    try:
        url = signoff_link_issue(actor=request.user, sheet=sheet)
    except DomainError as error:
        messages.error(request, error.message)
        return back_to(request, payout_url(sheet.statement_id))
    sheet.refresh_from_db(fields=["token_expires_at"])
    response = render(request, "expenses/signoff_link.html", {"sheet": sheet, "url": url})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def signoff_upload_view(request, pk: int):
    sheet = _sheet_for(request, pk)
    form = PaperUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the scanned, signed sheet to upload."))
    else:
        try:
            signoff_paper_upload(actor=request.user, sheet=sheet, file=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signed sheet of %(contact)s uploaded.") % {"contact": sheet.contact.name})
    return back_to(request, payout_url(sheet.statement_id))


@require_POST
def signoff_spot_check_view(request, pk: int):
    sheet = _sheet_for(request, pk)
    try:
        signoff_spot_check(actor=request.user, sheet=sheet)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sheet of %(contact)s spot-checked.") % {"contact": sheet.contact.name})
    return back_to(request, payout_url(sheet.statement_id))


@require_POST
def signoff_write_off_view(request, pk: int):
    sheet = _sheet_for(request, pk)
    form = WriteOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the amount as a number in yuan, e.g. 1200.50."))
        return back_to(request, payout_url(sheet.statement_id))
    try:
        sheet = signoff_write_off(actor=request.user, sheet=sheet, amount=form.cleaned_data["amount"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Written off: ¥%(amount)s for %(contact)s.") % {
            "amount": f"{sheet.written_off_amount:,.2f}", "contact": sheet.contact.name})  # fmt: skip
    return back_to(request, payout_url(sheet.statement_id))


# --- several sheets at once (EXP-11) ------------------------------------------------------------


def _selected_sheets(request, statement: Statement):
    """The sheets ticked on the statement's payout page, or None when the selection is not
    understood (not numbers, none, or sheets not of this statement)."""
    try:
        ids = {int(value) for value in request.POST.getlist("sheet")}
    except ValueError:
        return None
    if not ids:
        return None
    sheets = list(
        signoff_sheet_visible_to(request.user).filter(statement=statement, pk__in=ids).select_related(*SHEET_RELATED)
    )
    return sheets if len(sheets) == len(ids) else None


def _bulk(request, pk: int, service, done):
    statement = _statement_for(request, pk)
    sheets = _selected_sheets(request, statement)
    if sheets is None:
        return render(request, "400.html", {"detail": _("Tick at least one sheet of this statement.")}, status=400)
    try:
        service(actor=request.user, statement=statement, sheets=sheets)
    except PermissionDenied as error:
        return render(request, "403.html", {"detail": error.message}, status=403)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done(sheets))
    return HttpResponseRedirect(payout_url(statement.pk))


@require_POST
def signoff_pay_selected_view(request, pk: int):
    """EXP-11: one action records the payout of every ticked sheet (all or nothing)."""
    return _bulk(
        request, pk, signoff_payout_many,
        lambda sheets: ngettext("Marked paid: %(n)d sheet, ¥%(amount)s.", "Marked paid: %(n)d sheets, ¥%(amount)s.",
                                len(sheets)) % {"n": len(sheets), "amount": f"{sum(s.amount for s in sheets):,.2f}"},
    )  # fmt: skip


@require_POST
def signoff_spot_check_selected_view(request, pk: int):
    """EXP-11: the manager records the spot-check of every ticked confirmed sheet at once."""
    return _bulk(
        request, pk, signoff_spot_check_many,
        lambda sheets: ngettext("%(n)d sheet spot-checked.", "%(n)d sheets spot-checked.", len(sheets))
        % {"n": len(sheets)},
    )  # fmt: skip


def form4_sheet_view(request, pk: int):
    """One contact's 附表4, to print for that contact alone."""
    sheet = _sheet_for(request, pk)
    return form4_response(
        [sheet], user=request.user, filename=f"附表4-{sheet.statement.month:%Y%m}-{sheet.pk}", query=f"sheet={sheet.pk}"
    )


def signoff_paper_view(request, pk: int):
    """The uploaded scan, only to those who may see the sheet (EXP-11, EXP-13)."""
    return visible_file_response(
        request.user, SignoffSheet.objects.all(), pk=pk, field="paper_scan", name_field="paper_scan_name"
    )


# --- the list of sheets -----------------------------------------------------------------------


class SignoffSheetListView(FilteredListView):
    template_name = "expenses/signoff_list.html"
    filterset_class = SignoffSheetFilter
    export_class = SignoffSheetExport
    sort_options = {
        "month": (gettext_lazy("Month"), "statement__month"),
        "customer": (gettext_lazy("Customer"), "contact__customer__name"),
        "amount": (gettext_lazy("Amount"), "amount"),
    }
    default_sort = "-month"

    def get(self, request, *args, **kwargs):
        fee_user_or_404(request.user)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return signoff_sheet_visible_to(self.request.user).select_related(
            "statement", "statement__rep", "contact", "contact__customer"
        )


# --- the contact's public page (no login) -----------------------------------------------------


def _private(response):
    response["Cache-Control"] = "no-store"
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the POST and
    # the CSRF check refuses it; same-origin still keeps the token away from other sites.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@never_cache
@rate_limit("signoff-link", methods=ALL_METHODS)
def signoff_public(request, token: str):
    """What the contact sees: their own name, the month, the company and their own amount —
    nobody else's (CUS-07, EXP-11) — and one button. Works once."""
    sheet, state = sheet_for_token(token)
    if request.method == "POST" and state == "open":
        try:
            sheet = signoff_confirm_by_link(token=token)
            state = "just_confirmed"
        except DomainError:
            sheet, state = sheet_for_token(token)
    if sheet is None:
        return _private(render(request, "expenses/signoff_public_gone.html", {"state": state}, status=404))
    context = {
        "state": state,
        "name": sheet.contact.name,
        "company": sheet.contact.customer.name,
        "month": sheet.statement.month,
        "amount": sheet.amount,
        "confirmed_at": sheet.confirmed_at,
    }
    return _private(render(request, "expenses/signoff_public.html", context))


urlpatterns = [
    path("payouts/<int:pk>/", signoff_statement, name="signoff_statement"),
    path("payouts/<int:pk>/sheets/", signoff_sheets_create_view, name="signoff_sheets_create"),
    path("payouts/<int:pk>/submit/", signoff_submit_view, name="signoff_submit"),
    path("payouts/<int:pk>/claw-back/", clawback_view, name="clawback"),
    path("payouts/<int:pk>/form4.xlsx", form4_statement_view, name="form4_statement"),
    path("payouts/<int:pk>/pay-selected/", signoff_pay_selected_view, name="signoff_pay_selected"),
    path("payouts/<int:pk>/spot-check-selected/", signoff_spot_check_selected_view, name="signoff_spot_check_selected"),
    path("sheets/", SignoffSheetListView.as_view(), name="signoff_list"),
    path("sheets/<int:pk>/pay/", signoff_pay_view, name="signoff_pay"),
    path("sheets/<int:pk>/link/", signoff_link_view, name="signoff_link"),
    path("sheets/<int:pk>/upload/", signoff_upload_view, name="signoff_upload"),
    path("sheets/<int:pk>/spot-check/", signoff_spot_check_view, name="signoff_spot_check"),
    path("sheets/<int:pk>/write-off/", signoff_write_off_view, name="signoff_write_off"),
    path("sheets/<int:pk>/form4.xlsx", form4_sheet_view, name="form4_sheet"),
    path("sheets/<int:pk>/paper/", signoff_paper_view, name="signoff_paper"),
    # Reminders link to /fees/signoff/: without a token it is the staff's list of sheets.
    path("signoff/", RedirectView.as_view(pattern_name="expenses:signoff_list"), name="signoff_home"),
    path("signoff/<str:token>/", signoff_public, name="signoff_public"),
]
