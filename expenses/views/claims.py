"""Expense claims after the event (EXP-17, ORG-02): the list, the detail with its receipts and
approve (department head) / accept (finance) / reject, and the receipt download."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.files import stored_file_response
from crm_project.core.listing import FilteredListView

from ..exports.expenses import ExpenseClaimExport
from ..forms_expenses import ClaimFilter, CommentForm
from ..models import ApplicationStatus, ClaimStatus
from ..selectors_expenses import claims_for, receipts_for
from ..services.claims import claim_accept, claim_approve, claim_reject, is_head_of, needs_head
from .applications import forbidden


class ExpenseClaimListView(FilteredListView):
    template_name = "expenses/expenses/claim_list.html"
    filterset_class = ClaimFilter
    export_class = ExpenseClaimExport
    sort_options = {
        "filed": (gettext_lazy("Filed"), "filed_at"),
        "event": (gettext_lazy("Date of the event"), "application__event_date"),
        "amount": (gettext_lazy("Amount"), "amount"),
        "status": (gettext_lazy("Status"), "status"),
    }
    default_sort = "-filed"

    def base_queryset(self):
        return claims_for(self.request.user)


def _claim_for(request, pk: int):
    return get_object_or_404(claims_for(request.user).select_related("application__department__head"), pk=pk)


def claim_detail(request, pk: int):
    claim = _claim_for(request, pk)
    user = request.user
    head = is_head_of(user, claim) and needs_head(claim)
    finance = (user.has_role(Role.FINANCE) and user.pk != claim.application.applicant_id
               and claim.status in (ClaimStatus.FILED, ClaimStatus.APPROVED))  # fmt: skip
    return render(request, "expenses/expenses/claim_detail.html", {
        "claim": claim,
        "application": claim.application,
        "receipts": list(receipts_for(user).filter(claim=claim)),
        "may_approve": head,
        "may_accept": finance and not needs_head(claim) and claim.application.status == ApplicationStatus.RECORDED,
        "may_reject": head or finance,
        "comment_form": CommentForm(),
    })  # fmt: skip


@require_POST
def claim_action(request, pk: int, action: str):
    claim = _claim_for(request, pk)
    target = reverse("expenses:expense_claim_detail", args=[claim.pk])
    try:
        if action == "approve":
            claim_approve(actor=request.user, claim=claim)
            message = _("Approved; finance accepts it now.")
        elif action == "accept":
            claim_accept(actor=request.user, claim=claim)
            message = _("Accepted; the spend is posted against the budget.")
        elif action == "reject":
            claim_reject(actor=request.user, claim=claim, comment=request.POST.get("comment", ""))
            message = _("Rejected.")
        else:
            return render(request, "404.html", status=404)
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except DomainError as error:
        return render(request, "expenses/expenses/refused.html", {"message": error.message, "back": target},
                      status=400)  # fmt: skip
    messages.success(request, message)
    return HttpResponseRedirect(target)


def receipt_download(request, pk: int, rid: int):
    """Only to who may see the claim (ORG-02), always as an attachment."""
    claim = _claim_for(request, pk)
    receipt = get_object_or_404(receipts_for(request.user).filter(claim=claim), pk=rid)
    return stored_file_response(receipt.file, filename=receipt.name, content_type=receipt.content_type)


urlpatterns = [
    path("claims/", ExpenseClaimListView.as_view(), name="expense_claim_list"),
    path("claims/<int:pk>/", claim_detail, name="expense_claim_detail"),
    path("claims/<int:pk>/receipts/<int:rid>/", receipt_download, name="expense_claim_receipt"),
    path("claims/<int:pk>/<str:action>/", claim_action, name="expense_claim_action"),
]
