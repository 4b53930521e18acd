"""Satisfaction survey pages (SUR-01 … SUR-03), mounted at /surveys/ by urls.py
(namespace "surveys"): the staff pages (surveys, rounds and their results, follow-ups) and
the public answer page reached through a recipient's personal link."""

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from crm_project.accounts.models import User
from crm_project.core.errors import DomainError
from crm_project.core.exports import xlsx_response
from crm_project.core.listing import FilteredListView
from crm_project.core.ratelimits import ALL_METHODS, rate_limit
from customers.models import Industry
from customers.selectors import with_may_open_customer

from .exports import RoundResultsExport
from .forms import AnswerForm, FollowUpDoneForm, QuestionFormSet, SurveyForm, round_start_form
from .models import Question, SurveyFollowUp
from .selectors import (
    follow_up_visible_to,
    round_results,
    survey_round_visible_to,
    survey_visible_to,
    with_round_counts,
)
from .services.answers import (
    SurveyLinkError,
    can_complete_follow_up,
    follow_up_complete,
    recipient_for_token,
    survey_answer,
)
from .services.rounds import (
    can_manage_surveys,
    can_see_follow_ups,
    can_view_surveys,
    survey_create,
    survey_round_close,
    survey_round_start,
)


def _forbidden(request):
    return render(request, "403.html", status=403)


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- surveys ---------------------------------------------------------------------------------


class SurveyListView(FilteredListView):
    template_name = "surveys/survey_list.html"
    sort_options = {
        "created": (gettext_lazy("Created"), "created_at"),
        "title": (gettext_lazy("Title"), "title"),
    }
    default_sort = "-created"

    def get(self, request, *args, **kwargs):
        if not can_view_surveys(request.user):
            return _forbidden(request)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return survey_visible_to(self.request.user).annotate(
            question_count=Count("questions", distinct=True),
            round_count=Count("rounds", distinct=True),
            last_round_at=Max("rounds__started_at"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_surveys(self.request.user)
        return context


def survey_create_view(request):
    if not can_manage_surveys(request.user):
        return _forbidden(request)
    form = SurveyForm(request.POST or None, user=request.user)
    formset = QuestionFormSet(request.POST or None, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        questions = [q for q in (f.question() for f in formset.forms if f.has_changed()) if q is not None]
        try:
            survey = survey_create(actor=request.user, questions=questions, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Survey created."))
            return HttpResponseRedirect(reverse("surveys:survey_detail", args=[survey.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/survey_form.html", {"form": form, "formset": formset}, status=status)


def _survey_page(request, survey, start_form, status=200):
    rounds = with_round_counts(survey.rounds.select_related("started_by")).order_by("-started_at", "-pk")
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "rounds": rounds,
        "can_manage": can_manage_surveys(request.user, survey.audience),
        "start_form": start_form,
    }
    return render(request, "surveys/survey_detail.html", context, status=status)


def survey_detail(request, pk: int):
    survey = get_object_or_404(survey_visible_to(request.user), pk=pk)
    may_start = can_manage_surveys(request.user, survey.audience) and survey.active
    start_form = round_start_form(survey, request.user) if may_start else None
    return _survey_page(request, survey, start_form)


@require_POST
def round_start_view(request, pk: int):
    survey = get_object_or_404(survey_visible_to(request.user), pk=pk)
    if not can_manage_surveys(request.user, survey.audience):
        return _forbidden(request)
    form = round_start_form(survey, request.user, request.POST)
    if form.is_valid():
        try:
            survey_round = survey_round_start(
                actor=request.user, survey=survey, name=form.cleaned_data["name"], criteria=form.criteria()
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Round started: %(count)s personal links are being e-mailed.")
                % {"count": survey_round.recipients.count()},
            )
            return HttpResponseRedirect(reverse("surveys:round_detail", args=[survey_round.pk]))
    return _survey_page(request, survey, form, status=400)


# --- rounds and their results ----------------------------------------------------------------


def _round_for(request, pk: int):
    return get_object_or_404(survey_round_visible_to(request.user).select_related("survey", "started_by"), pk=pk)


def _criteria_labels(criteria: dict) -> dict:
    industries = criteria.get("industries") or []
    owners = criteria.get("owners") or []
    return {
        "floors": criteria.get("floors") or [],
        "business_types": criteria.get("business_types") or [],
        "grades": criteria.get("grades") or [],
        "industries": [str(i) for i in Industry.objects.filter(code__in=industries)] if industries else [],
        "owners": [u.display_name for u in User.objects.filter(pk__in=owners)] if owners else [],
    }


def round_detail(request, pk: int):
    survey_round = _round_for(request, pk)
    results = round_results(survey_round)
    chart = {"rounds": results["trend"]["rounds"], "series": results["trend"]["series"]}
    context = {
        "round": survey_round,
        "survey": survey_round.survey,
        "criteria": _criteria_labels(survey_round.criteria or {}),
        "can_manage": can_manage_surveys(request.user, survey_round.survey.audience),
        "chart": chart,
        **results,
    }
    return render(request, "surveys/survey_round_detail.html", context)


def round_export(request, pk: int):
    survey_round = _round_for(request, pk)
    export = RoundResultsExport(survey_round)
    return xlsx_response(export, export.responses(), user=request.user, query=f"round={survey_round.pk}")


@require_POST
def round_close_view(request, pk: int):
    survey_round = _round_for(request, pk)
    if not can_manage_surveys(request.user, survey_round.survey.audience):
        return _forbidden(request)
    try:
        survey_round_close(actor=request.user, survey_round=survey_round)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Round closed: its links no longer work."))
    return HttpResponseRedirect(reverse("surveys:round_detail", args=[survey_round.pk]))


# --- follow-ups ------------------------------------------------------------------------------


class FollowUpFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=[("open", gettext_lazy("open")), ("done", gettext_lazy("done"))],
        method="filter_state",
        empty_label=gettext_lazy("all"),
    )

    class Meta:
        model = SurveyFollowUp
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(done_at__isnull=value == "open")


class FollowUpListView(FilteredListView):
    """SUR-03: the follow-ups of low scores; an owner sees their own customers', a manager
    their department's (the access rules)."""

    template_name = "surveys/survey_followup_list.html"
    filterset_class = FollowUpFilter
    sort_options = {"opened": (gettext_lazy("Opened at"), "created_at")}
    default_sort = "-opened"

    def get(self, request, *args, **kwargs):
        if not can_see_follow_ups(request.user):
            return _forbidden(request)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        queryset = follow_up_visible_to(self.request.user)
        return with_may_open_customer(queryset, self.request.user).select_related(
            "customer__owner",
            "tenant",
            "owner",
            "answer__question",
            "answer__response__recipient__round__survey",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for follow_up in context["object_list"]:
            follow_up.may_complete = follow_up.done_at is None and can_complete_follow_up(user, follow_up)
        context["done_form"] = FollowUpDoneForm()
        context["can_view_surveys"] = can_view_surveys(user)
        return context


@require_POST
def follow_up_done_view(request, pk: int):
    follow_up = get_object_or_404(follow_up_visible_to(request.user).select_related("customer"), pk=pk)
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
    else:
        try:
            follow_up_complete(actor=request.user, follow_up=follow_up, note=form.cleaned_data["note"])
        except DomainError as error:
            if not can_complete_follow_up(request.user, follow_up):
                return _forbidden(request)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Follow-up marked done."))
    return HttpResponseRedirect(reverse("surveys:follow_up_list"))


# --- the public answer page (no login) -------------------------------------------------------


def _private(response):
    response["Cache-Control"] = "no-store"
    # The token never leaves the site in a Referer header. Not "no-referrer": browsers then
    # send `Origin: null` with the form, and the CSRF check refuses the answer.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _greeting_name(name: str) -> str:
    """The first name only: "Anna Smith" → "Anna"; a Chinese name is kept whole."""
    parts = (name or "").split()
    return parts[0] if parts else ""


def _gone(request, state: str):
    status = 410 if state == "answered" else 404
    return _private(render(request, "surveys/gone.html", {"state": state}, status=status))


@login_not_required
@never_cache
@rate_limit("survey-link", methods=ALL_METHODS)
def answer_view(request, token: str):
    """SUR-01: what the recipient sees — the survey's title, introduction and questions and
    their own first name, nothing else. Works once, until the link expires."""
    recipient, state = recipient_for_token(token)
    if recipient is None or state != "open":
        return _gone(request, state)
    survey = recipient.round.survey
    questions = list(Question.objects.filter(survey=survey))
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(token=token, answers=form.answers())
        except SurveyLinkError as error:
            return _gone(request, error.state)
        except DomainError as error:
            _form_error(form, error)
        else:
            return _private(HttpResponseRedirect(reverse("surveys:answer_thanks", args=[token])))
    context = {
        "survey": survey,
        "first_name": _greeting_name(recipient.name),
        "form": form,
        "expires_at": recipient.expires_at,
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "surveys/answer.html", context, status=status))


@login_not_required
@never_cache
@rate_limit("survey-link", methods=ALL_METHODS)
def answer_thanks_view(request, token: str):
    recipient, state = recipient_for_token(token)
    if state == "open":
        return _private(HttpResponseRedirect(reverse("surveys:answer", args=[token])))
    if recipient is None or state != "answered":
        return _gone(request, state)
    context = {"survey_title": recipient.round.survey.title, "first_name": _greeting_name(recipient.name)}
    return _private(render(request, "surveys/thanks.html", context))
