"""Outgoing notices 对外发文 (TEN-06): the list, a new notice from a template, the notice page
with the step its reader may take, the sign-off list and the paper-receipt upload, the printable
export, and the templates. Outsiders get 403 on the lists and 404 on a notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.files import visible_file_response
from crm_project.core.history import history_entries
from crm_project.core.listing import FilteredListView

from ..exports_notices import NoticeExport, notice_xlsx_response
from ..filters_notices import NoticeFilter
from ..forms_notices import NoticeForm, NoticeTemplateForm, PaperReceiptForm
from ..models import NoticeAddressee, NoticeStatus
from ..permissions_notices import can_draft, can_record_receipt, keeps_templates, next_step_for, opens_notice_pages
from ..selectors_notices import addressees_of, notice_list, template_visible_to
from ..services import notices as services
from .archive import forbidden

STEPS = {
    "approve": services.notice_approve,
    "approve-seal": services.notice_approve_seal,
    "seal": services.notice_seal,
    "deliver": services.notice_deliver,
}
STEP_LABELS = {
    "approve": gettext_lazy("Approve (department head)"),
    "approve-seal": gettext_lazy("Approve the seal"),
    "seal": gettext_lazy("Record the seal at the GM office"),
    "deliver": gettext_lazy("Deliver to the tenants"),
}
STEP_DONE = {
    "approve": gettext_lazy("The notice is approved."),
    "approve-seal": gettext_lazy("The seal is approved."),
    "seal": gettext_lazy("The seal is recorded."),
    "deliver": gettext_lazy("The notice is delivered; the tenants with an e-mail get their personal link."),
}


class NoticeListView(FilteredListView):
    """The notice list (TEN-06, DSH-03): filters, sorting, paging and the export."""

    template_name = "tenants/notices_list.html"
    filterset_class = NoticeFilter
    export_class = NoticeExport
    sort_options = {
        "date": (gettext_lazy("date of the notice"), "notice_date"),
        "drafted": (gettext_lazy("drafted at"), "drafted_at"),
        "title": (gettext_lazy("title"), "title"),
        "status": (gettext_lazy("status"), "status"),
        "unsigned": (gettext_lazy("not signed"), "unsigned_count"),
    }
    default_sort = "-drafted"

    def dispatch(self, request, *args, **kwargs):
        if not opens_notice_pages(request.user):
            return forbidden(request, _("Outgoing notices are for operations and the departments concerned."))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return notice_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_draft"] = can_draft(self.request.user)
        context["keeps_templates"] = keeps_templates(self.request.user)
        return context


def _notice(request, pk: int):
    return get_object_or_404(notice_list(request.user), pk=pk)


def _detail(request, notice, *, receipt_form=None, status=200, new_link=None):
    user = request.user
    addressees = list(addressees_of(notice))
    step = next_step_for(user, notice)
    may_receipt = notice.status == NoticeStatus.DELIVERED and can_record_receipt(user, notice)
    if may_receipt and receipt_form is None:
        receipt_form = PaperReceiptForm(notice=notice)
    context = {
        "notice": notice,
        "addressees": addressees,
        "signed": [a for a in addressees if a.is_signed],
        "unsigned": [a for a in addressees if not a.is_signed],
        "step": step,
        "step_label": STEP_LABELS.get(step, ""),
        "receipt_form": receipt_form if may_receipt else None,
        "may_reissue": may_receipt,
        "history": history_entries(notice),
        "now_moment": timezone.now(),
        "new_link": new_link,
    }
    return render(request, "tenants/notices_detail.html", context, status=status)


@login_required
def notice_detail(request, pk: int):
    if not opens_notice_pages(request.user):
        raise Http404
    return _detail(request, _notice(request, pk))


@login_required
def notice_new(request):
    user = request.user
    if not can_draft(user):
        return forbidden(request, _("Only operations staff or the department concerned draft a notice."))
    initial = {"notice_date": timezone.localdate(), "address": "all"}
    if user.department_id and not keeps_templates(user):
        initial["department"] = user.department_id
    chosen = template_visible_to(user).filter(pk=request.GET.get("template") or 0).first() if request.GET.get(
        "template", ""
    ).isdigit() else None  # fmt: skip
    if chosen:
        initial.update(template=chosen.pk, title=chosen.title, body=chosen.body)
    form = NoticeForm(request.POST or None, user=user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = services.notice_draft(
                    actor=user, department=data["department"], title=data["title"], body=data["body"],
                    tenants=data["chosen"], notice_date=data["notice_date"], due_date=data["due_date"],
                    template=data["template"],
                )  # fmt: skip
            except PermissionDenied as error:
                return forbidden(request, error.message)
            except DomainError as error:
                field = error.field if error.field in form.fields else None
                if error.field == "tenants" and data.get("address") != "picked":
                    field = "address"
                form.add_error(field, error.message)
            else:
                messages.success(request, _("The notice is drafted; its department head approves it next."))
                return HttpResponseRedirect(reverse("tenants:notice_detail", args=[notice.pk]))
        status = 400
    templates = template_visible_to(user).order_by("name")
    return render(request, "tenants/notices_new.html", {"form": form, "templates": templates}, status=status)


@login_required
@require_POST
def notice_step(request, pk: int, step: str):
    notice = _notice(request, pk)
    service = STEPS.get(step)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, notice=notice)
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, _notice(request, pk), status=400)
    messages.success(request, STEP_DONE[step])
    return HttpResponseRedirect(reverse("tenants:notice_detail", args=[pk]))


@login_required
@require_POST
def notice_receipt(request, pk: int):
    notice = _notice(request, pk)
    if not can_record_receipt(request.user, notice):
        return forbidden(request, _("Only operations staff record paper receipts."))
    form = PaperReceiptForm(request.POST, request.FILES, notice=notice)
    if form.is_valid():
        try:
            addressee = services.notice_receipt_paper(
                actor=request.user, notice=notice, tenant=form.cleaned_data["tenant"], scan=form.cleaned_data["scan"],
                signer_name=form.cleaned_data["signer_name"],
            )  # fmt: skip
        except PermissionDenied as error:
            return forbidden(request, error.message)
        except DomainError as error:
            form.add_error({"file": "scan"}.get(error.field, error.field if error.field in form.fields else None),
                           error.message)  # fmt: skip
        else:
            messages.success(request, _("The paper receipt of %(tenant)s is recorded.") % {"tenant": addressee.tenant})
            return HttpResponseRedirect(reverse("tenants:notice_detail", args=[pk]))
    return _detail(request, _notice(request, pk), receipt_form=form, status=400)


@login_required
@require_POST
def notice_link(request, pk: int, addressee_pk: int):
    notice = _notice(request, pk)
    addressee = get_object_or_404(NoticeAddressee.objects.filter(notice=notice), pk=addressee_pk)
    try:
        url = services.notice_link_reissue(actor=request.user, addressee=addressee)
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
        return _detail(request, notice, status=400)
    return _detail(request, notice, new_link=(addressee, url))


@login_required
def notice_export(request, pk: int):
    notice = _notice(request, pk)
    return notice_xlsx_response(notice, list(addressees_of(notice)), user=request.user)


@login_required
def notice_scan(request, pk: int, addressee_pk: int):
    """The scan of a paper receipt, only through its notice's access rule (ORG-02)."""
    notice = _notice(request, pk)
    queryset = NoticeAddressee.objects.filter(notice=notice).exclude(scan="")
    record = get_object_or_404(queryset, pk=addressee_pk)
    return visible_file_response(
        request.user, queryset, pk=addressee_pk, field="scan", name_field="scan_name", inline_type=record.scan_type
    )


# --- templates --------------------------------------------------------------------------------


@login_required
def template_list(request):
    if not opens_notice_pages(request.user):
        return forbidden(request, _("Outgoing notices are for operations and the departments concerned."))
    templates = template_visible_to(request.user).order_by("name")
    context = {"templates": templates, "keeps_templates": keeps_templates(request.user),
               "can_draft": can_draft(request.user)}  # fmt: skip
    return render(request, "tenants/notices_templates.html", context)


@login_required
def template_edit(request, pk: int | None = None):
    user = request.user
    if not keeps_templates(user):
        return forbidden(request, _("Only operations staff keep the notice templates."))
    template = get_object_or_404(template_visible_to(user), pk=pk) if pk else None
    initial = {"name": template.name, "title": template.title, "body": template.body} if template else None
    form = NoticeTemplateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.template_save(actor=user, template=template, **form.cleaned_data)
            except PermissionDenied as error:
                return forbidden(request, error.message)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The template is saved."))
                return HttpResponseRedirect(reverse("tenants:notice_templates"))
        status = 400
    return render(request, "tenants/notices_template_form.html", {"form": form, "template": template}, status=status)


urlpatterns = [
    path("notices/", login_required(NoticeListView.as_view()), name="notice_list"),
    path("notices/new/", notice_new, name="notice_new"),
    path("notices/templates/", template_list, name="notice_templates"),
    path("notices/templates/new/", template_edit, name="notice_template_new"),
    path("notices/templates/<int:pk>/edit/", template_edit, name="notice_template_edit"),
    path("notices/<int:pk>/", notice_detail, name="notice_detail"),
    path("notices/<int:pk>/export.xlsx", notice_export, name="notice_export"),
    path("notices/<int:pk>/receipt/", notice_receipt, name="notice_receipt"),
    path("notices/<int:pk>/link/<int:addressee_pk>/", notice_link, name="notice_link"),
    path("notices/<int:pk>/scan/<int:addressee_pk>/", notice_scan, name="notice_scan"),
    path("notices/<int:pk>/<slug:step>/", notice_step, name="notice_step"),
]
