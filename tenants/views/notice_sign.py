"""The tenant's sign-for page 签收 (TEN-06), no login: their own notice text and one button.
Works once; a used or expired link shows a clear page (410) and an unknown one 404, and
nothing is written. Phone friendly."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from crm_project.core.errors import DomainError
from crm_project.core.ratelimits import ALL_METHODS, rate_limit

from ..services.notices import addressee_for_token, notice_sign_by_link


def _private(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _gone(request, state: str, addressee=None):
    status = 404 if state == "unknown" else 410
    context = {"state": state, "signed_at": addressee.signed_at if addressee else None}
    return _private(render(request, "tenants/notices_sign_gone.html", context, status=status))


@login_not_required
@never_cache
@rate_limit("notice-link", methods=ALL_METHODS)
def notice_sign(request, token: str):
    addressee, state = addressee_for_token(token)
    if state != "open":
        return _gone(request, state, addressee)
    error = ""
    if request.method == "POST":
        try:
            addressee = notice_sign_by_link(token=token, signer_name=request.POST.get("signer_name", ""))
        except DomainError as refused:
            addressee, state = addressee_for_token(token)
            if state != "open":
                return _gone(request, state, addressee)
            error = refused.message
        else:
            context = {"addressee": addressee, "notice": addressee.notice, "state": "just_signed"}
            return _private(render(request, "tenants/notices_sign.html", context))
    context = {"addressee": addressee, "notice": addressee.notice, "state": "open", "error": error}
    return _private(render(request, "tenants/notices_sign.html", context))


urlpatterns = [path("notices/sign/<str:token>/", notice_sign, name="notice_sign")]
