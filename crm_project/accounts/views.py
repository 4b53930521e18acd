from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm_project.core.history import history_entries

from .forms import ApiTokenForm, LanguageForm, ProfileForm
from .models import User
from .services import user_set_language, user_update_profile
from .tokens.selectors import tokens_of
from .tokens.services import token_issue, token_revoke


def _profile_page(request, *, form=None, token_form=None):
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(instance=request.user),
            "token_form": token_form or ApiTokenForm(),
            "tokens": tokens_of(request.user),
            "now": timezone.now(),
            "history": history_entries(request.user),
        },
    )


def profile(request):
    # The form validates a copy: ModelForm writes cleaned values onto its instance, and the
    # service must see what changed to save (and audit) just those fields.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return HttpResponseRedirect(reverse("accounts:profile"))
    return _profile_page(request, form=form)


@require_POST
def api_token_create(request):
    """A new API token for oneself (ORG-02); its key is shown on this answer only."""
    token_form = ApiTokenForm(request.POST)
    if not token_form.is_valid():
        return _profile_page(request, token_form=token_form)
    token, key = token_issue(user=request.user, name=token_form.cleaned_data["name"])
    return render(request, "accounts/api_token_created.html", {"token": token, "key": key})


@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of one's own tokens (ORG-02); another user's token is a 404."""
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    token_revoke(token_id=token.pk, actor=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("accounts:profile") + "#api-tokens")


@login_not_required
@require_POST
def switch_language(request):
    """Switch the interface language; a signed-in user keeps the choice on their profile."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response
