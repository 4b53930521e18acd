"""The public complaint form and the complainant's status page (CMP-01). No login; protected
against abuse: a rate limit per client address, a honeypot field, size limits on every field
and on the request body, CSRF, and everything the public types rendered escaped."""

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from crm_project.core.errors import DomainError
from crm_project.core.net import client_ip
from crm_project.core.ratelimits import rate_limit

from ..forms import PublicComplaintForm
from ..models import ComplaintStatus
from ..services.intake import complaint_for_token, complaint_submit_public

# Enough for 5,000 Chinese characters percent-encoded (9 bytes each) plus the other fields.
MAX_BODY = 64 * 1024

S = ComplaintStatus
# What the complainant sees: the steps as they matter to them, nothing internal.
PUBLIC_STEPS = {
    S.RECEIVED: "received",
    S.ASSIGNED: "in_progress",
    S.INVESTIGATING: "in_progress",
    S.SOLUTION_PROPOSED: "in_progress",
    S.CUSTOMER_INFORMED: "answered",
    S.CLOSED: "closed",
}


def _private(response, *, referrer: str = "same-origin"):
    # The form page keeps a same-origin referrer: with "no-referrer" the browser sends
    # "Origin: null" with the POST and the CSRF check refuses it. The status page's URL holds
    # the token, so it sends no referrer at all.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex"
    return response


def max_body() -> int:
    return getattr(settings, "COMPLAINT_PUBLIC_MAX_BODY", MAX_BODY)


def body_too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > max_body()
    except ValueError:
        return True


def _thanks(request, reference: str, token: str):
    status_url = request.build_absolute_uri(reverse("complaints:public_status", args=[token]))
    return _private(
        render(request, "complaints/public_thanks.html", {"reference": reference, "status_url": status_url})
    )


@login_not_required
@never_cache
@csrf_protect
@rate_limit("complaint-public", template="complaints/public_limited.html")
def public_complaint_new(request):
    if request.method != "POST":
        return _private(render(request, "complaints/public_form.html", {"form": PublicComplaintForm()}))
    if body_too_large(request):
        response = render(request, "complaints/public_too_large.html", status=413)
        return _private(response)
    form = PublicComplaintForm(request.POST)
    if form.is_bot:
        # Pretend it worked, store nothing: a bot learns nothing from the answer.
        fake = f"TS-{timezone.localdate().year}-{secrets.randbelow(10**6):06d}"
        return _thanks(request, fake, secrets.token_urlsafe(32))
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint, token = complaint_submit_public(
                name=data["name"], contact=data["contact"], company=data["company"], text=data["text"],
                address=client_ip(request) or None,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _thanks(request, complaint.reference, token)
    return _private(render(request, "complaints/public_form.html", {"form": form}, status=400))


@login_not_required
@never_cache
def public_complaint_status(request, token: str):
    complaint = complaint_for_token(token)
    if complaint is None:
        return _private(render(request, "complaints/public_status_unknown.html", status=404), referrer="no-referrer")
    context = {
        "reference": complaint.reference,
        "step": PUBLIC_STEPS[complaint.status],
        "received_at": complaint.received_at,
        "closed_at": complaint.closed_at if complaint.status == S.CLOSED else None,
        "outcome": complaint.solution if complaint.status == S.CLOSED else "",
    }
    return _private(render(request, "complaints/public_status.html", context), referrer="no-referrer")


urlpatterns = [
    path("public/new/", public_complaint_new, name="public_new"),
    path("public/status/<str:token>/", public_complaint_status, name="public_status"),
]
