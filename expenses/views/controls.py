"""/fees/controls/: confidentiality exceptions (EXP-13), reassigning a leaving rep's customers
and open payouts (EXP-14), and investigations that block payouts (EXP-15). For the sales
clerk, manager, director and finance; a 404 for everyone else."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.access import is_read_only, visible_to
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError
from crm_project.core.pickers import use_picker
from customers.models import Customer
from customers.selectors import customer_visible_to

from ..models import ConfidentialityException, InvestigationStatus, Reassignment
from ..selectors import investigation_visible_to
from ..services.controls import (
    INVESTIGATOR_ROLES,
    exception_approve,
    exception_archive,
    exception_next_step,
    exception_reject,
    exception_request,
    investigation_close,
    investigation_open,
    may_take_exception_step,
    reps_reassign,
)

CONTROL_ROLES = (Role.SALES_CLERK, Role.SALES_MANAGER, Role.SALES_DIRECTOR, Role.FINANCE)
LIST_LIMIT = 50


def _check_access(user) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.has_role(*CONTROL_ROLES))):
        raise Http404


class ExceptionRequestForm(forms.Form):
    grantee = forms.ModelChoiceField(label=gettext_lazy("Who may see"), queryset=User.objects.none())
    rep = forms.ModelChoiceField(label=gettext_lazy("Whose fee data"), queryset=User.objects.none())
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=gettext_lazy("Reason (the written request)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self.fields["grantee"], "users", user, scope="staff")
        use_picker(self.fields["rep"], "users", user, scope="sales_reps")


class ReassignForm(forms.Form):
    from_rep = forms.ModelChoiceField(label=gettext_lazy("Leaving rep"), queryset=User.objects.none())
    to_rep = forms.ModelChoiceField(label=gettext_lazy("Hand over to"), queryset=User.objects.none())
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_picker(self.fields["from_rep"], "users", user, scope="leaving_reps")
        use_picker(self.fields["to_rep"], "users", user, scope="sales_reps")


class InvestigationOpenForm(forms.Form):
    customer = forms.CharField(label=gettext_lazy("Customer code"), max_length=40)
    reason = forms.CharField(label=gettext_lazy("What is to be investigated"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_customer(self):
        code = self.cleaned_data["customer"].strip()
        customers = Customer.objects.all() if self.user.has_role(Role.FINANCE) else customer_visible_to(self.user)
        customer = customers.select_related("owner").filter(code=code).first()
        if customer is None:
            raise forms.ValidationError(_("No customer of yours has the code %(code)s.") % {"code": code})
        return customer


class InvestigationCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[("clear", gettext_lazy("The flow is clear")), ("unclear", gettext_lazy("Unclear — keep blocking"))],
    )
    findings = forms.CharField(label=gettext_lazy("Findings"), widget=forms.Textarea(attrs={"rows": 2}))


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _page(request, **forms_given):
    user = request.user
    _check_access(user)
    writes = not is_read_only(user)
    exceptions = list(
        visible_to(user, ConfidentialityException.objects.all())
        .select_related("requested_by", "grantee", "rep", "manager", "director", "archived_by")
        .order_by("-requested_at", "-pk")[:LIST_LIMIT]
    )
    today = timezone.localdate()
    for exception in exceptions:
        exception.next_step = exception_next_step(exception)
        exception.may_act = writes and may_take_exception_step(user, exception)
        exception.in_force = bool(exception.director_at and not exception.rejected and exception.valid_until >= today)
    investigations = list(
        investigation_visible_to(user)
        .select_related("customer", "customer__owner", "opened_by", "closed_by")
        .order_by("-opened_at", "-pk")[:LIST_LIMIT]
    )
    may_investigate = writes and user.has_role(*INVESTIGATOR_ROLES)
    for investigation in investigations:
        investigation.may_close = may_investigate and investigation.status != InvestigationStatus.CLEAR
    context = {
        "exceptions": exceptions,
        "reassignments": list(
            visible_to(user, Reassignment.objects.all()).select_related("from_rep", "to_rep", "by")[:LIST_LIMIT]
        ),
        "investigations": investigations,
        "may_request_exception": writes,
        "may_reassign": writes and user.has_role(Role.SALES_MANAGER),
        "may_investigate": may_investigate,
        "exception_form": forms_given.get("exception_form") or ExceptionRequestForm(user=user),
        "reassign_form": forms_given.get("reassign_form") or ReassignForm(user=user),
        "investigation_form": forms_given.get("investigation_form") or InvestigationOpenForm(user=user),
        "close_form": InvestigationCloseForm(),
    }
    return render(request, "expenses/controls_page.html", context, status=400 if forms_given else 200)


def _back(section: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("expenses:controls") + (f"#{section}" if section else ""))


def controls(request):
    return _page(request)


@require_POST
def exception_create_view(request):
    _check_access(request.user)
    form = ExceptionRequestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            exception_request(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Request filed. The sales manager, then the sales director approve it."))
            return _back("exceptions")
    return _page(request, exception_form=form)


@require_POST
def exception_step_view(request, pk: int, step: str):
    _check_access(request.user)
    exception = get_object_or_404(visible_to(request.user, ConfidentialityException.objects.all()), pk=pk)
    actions = {"approve": exception_approve, "reject": exception_reject, "archive": exception_archive}
    if step not in actions:
        raise Http404
    try:
        actions[step](actor=request.user, exception=exception)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return _back("exceptions")


@require_POST
def reassign_view(request):
    _check_access(request.user)
    form = ReassignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            reassignment = reps_reassign(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(customers)d customers and %(sheets)d open sign-off sheets handed over.")
                % {"customers": len(reassignment.customer_ids), "sheets": len(reassignment.sheet_ids)},
            )
            return _back("reassignments")
    return _page(request, reassign_form=form)


@require_POST
def investigation_create_view(request):
    _check_access(request.user)
    form = InvestigationOpenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            investigation_open(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Investigation opened. The customer's fees are blocked until it is clear."))
            return _back("investigations")
    return _page(request, investigation_form=form)


@require_POST
def investigation_close_view(request, pk: int):
    _check_access(request.user)
    investigation = get_object_or_404(investigation_visible_to(request.user), pk=pk)
    form = InvestigationCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome and record the findings."))
        return _back("investigations")
    try:
        investigation_close(
            actor=request.user,
            investigation=investigation,
            clear=form.cleaned_data["outcome"] == "clear",
            findings=form.cleaned_data["findings"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Investigation closed."))
    return _back("investigations")


urlpatterns = [
    path("controls/", controls, name="controls"),
    path("controls/exceptions/new/", exception_create_view, name="exception_create"),
    path("controls/exceptions/<int:pk>/<str:step>/", exception_step_view, name="exception_step"),
    path("controls/reassign/", reassign_view, name="reassign"),
    path("controls/investigations/new/", investigation_create_view, name="investigation_create"),
    path("controls/investigations/<int:pk>/close/", investigation_close_view, name="investigation_close"),
]
