"""Satisfaction surveys 满意度调查 (SUR-01 … SUR-03, JOB-05, JOB-09).

A survey has questions (1–5 score, single choice, free text) and an audience. A round picks
customer contacts by grade, industry and owner, or tenant contacts by floor and business type,
and e-mails each one a personal, unguessable link that
works once and expires after `SurveySettings.link_days`. Only the SHA-256 of a link's token is
ever stored: the token is made by the sending job at the moment it e-mails the link, so no raw
token is in the database or in a queued job's arguments. Answering and the follow-ups of
low scores: services/answers.py.
"""

import hashlib
import logging
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm_project.accounts.access import is_read_only
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.core.jobs import enqueue
from customers.models import Contact, Grade, Industry
from tenants.models import TenantContact

from ..models import (
    Answer,
    Question,
    QuestionKind,
    Recipient,
    Survey,
    SurveyAudience,
    SurveyRound,
    SurveySettings,
)

log = logging.getLogger(__name__)

MAX_TOKEN_LENGTH = 100
SURVEY_MANAGER_ROLES = (Role.CUSTOMER_SERVICE, Role.SALES_MANAGER, Role.SALES_DIRECTOR)
# Who runs the surveys of each audience: the tenants' are the tenant desk's (TEN-01).
MANAGER_ROLES = {SurveyAudience.CUSTOMERS: SURVEY_MANAGER_ROLES, SurveyAudience.TENANTS: (Role.OPERATIONS,)}


# --- who may do what -------------------------------------------------------------------------


def can_view_surveys(user) -> bool:
    """Survey definitions, rounds and results: customer service, sales managers/directors,
    operations (the tenants' surveys) and management (read-only), as in access_rules.py."""
    return user.is_superuser or user.has_role(*SURVEY_MANAGER_ROLES, Role.OPERATIONS, Role.MANAGEMENT)


def can_manage_surveys(user, audience: str | None = None) -> bool:
    """Create surveys and start or close rounds, of one audience or (None) of any; never
    management alone."""
    if is_read_only(user):
        return False
    roles = MANAGER_ROLES.get(audience) or (*SURVEY_MANAGER_ROLES, Role.OPERATIONS)
    return user.is_superuser or user.has_role(*roles)


def can_see_follow_ups(user) -> bool:
    return user.is_superuser or user.has_role(
        Role.SALES_REP, Role.SALES_CLERK, *SURVEY_MANAGER_ROLES, Role.OPERATIONS, Role.MANAGEMENT
    )


# --- links -----------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unusable_hash() -> str:
    # The hash of a token nobody ever sees: a recipient's link works only once the sender has
    # replaced it with the hash of the token it e-mails.
    return token_hash(secrets.token_urlsafe(32))


def answer_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('surveys:answer', args=[token])}"


# --- definitions -----------------------------------------------------------------------------


def _clean_choices(raw) -> list[str]:
    if isinstance(raw, str):
        raw = raw.splitlines()
    choices, seen = [], set()
    for item in raw or []:
        text = str(item).strip()
        if text and text not in seen:
            seen.add(text)
            choices.append(text)
    return choices


@transaction.atomic
def survey_create(
    *,
    actor: User,
    title: str,
    questions: list[dict],
    introduction: str = "",
    scheduled: bool = False,
    audience: str = SurveyAudience.CUSTOMERS,
) -> Survey:
    """SUR-01: a survey with its questions. Each question is a dict with `kind` (score,
    choice, text), `text`, `choices` (a list, or one per line; single choice only, at least two)
    and `required` (default True)."""
    if audience not in SurveyAudience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    if not can_manage_surveys(actor, audience):
        raise PermissionDenied(
            _("Only operations staff create tenant surveys.")
            if audience == SurveyAudience.TENANTS
            else _("Only customer service and sales managers or directors create surveys.")
        )
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the survey a title."), field="title")
    rows = []
    for position, spec in enumerate(questions, start=1):
        text = str(spec.get("text") or "").strip()
        kind = spec.get("kind")
        if not text:
            raise DomainError(_("Question %(n)s has no text.") % {"n": position}, field="questions")
        if len(text) > Question._meta.get_field("text").max_length:
            raise DomainError(_("Question %(n)s is too long.") % {"n": position}, field="questions")
        if kind not in QuestionKind.values:
            raise DomainError(_("Question %(n)s has an unknown kind.") % {"n": position}, field="questions")
        choices = _clean_choices(spec.get("choices")) if kind == QuestionKind.CHOICE else []
        if kind == QuestionKind.CHOICE and len(choices) < 2:
            raise DomainError(
                _("Question %(n)s is a single choice: give at least two choices.") % {"n": position},
                field="questions",
            )
        if any(len(choice) > Answer._meta.get_field("choice").max_length for choice in choices):
            raise DomainError(_("A choice of question %(n)s is too long.") % {"n": position}, field="questions")
        rows.append(
            Question(order=position, kind=kind, text=text, choices=choices, required=bool(spec.get("required", True)))
        )
    if not rows:
        raise DomainError(_("A survey needs at least one question."), field="questions")
    survey = Survey.objects.create(
        title=title, introduction=(introduction or "").strip(), scheduled=scheduled, audience=audience
    )
    for row in rows:
        row.survey = survey
    Question.objects.bulk_create(rows)
    return survey


# --- rounds ----------------------------------------------------------------------------------


def clean_criteria(criteria: dict | None, audience: str = SurveyAudience.CUSTOMERS) -> dict:
    """Customers: `{grades: [...], industries: [codes], owners: [user ids]}`; tenants:
    `{floors: [...], business_types: [...]}`. An empty list selects all."""
    criteria = criteria or {}
    if audience == SurveyAudience.TENANTS:
        return _clean_tenant_criteria(criteria)
    grades = sorted({str(g) for g in criteria.get("grades") or []})
    if set(grades) - set(Grade.values):
        raise DomainError(_("Unknown grade."), field="grades")
    industries = sorted({str(code) for code in criteria.get("industries") or []})
    if industries and Industry.objects.filter(code__in=industries).count() != len(industries):
        raise DomainError(_("Unknown industry."), field="industries")
    try:
        owners = sorted({int(pk) for pk in criteria.get("owners") or []})
    except (TypeError, ValueError):
        raise DomainError(_("Unknown owner."), field="owners")
    if owners and User.objects.filter(pk__in=owners).count() != len(owners):
        raise DomainError(_("Unknown owner."), field="owners")
    return {"grades": grades, "industries": industries, "owners": owners}


def _clean_tenant_criteria(criteria: dict) -> dict:
    current = TenantContact.objects.filter(tenant__moved_out_at__isnull=True)
    cleaned = {}
    for key, path, message in (
        ("floors", "tenant__floor", _("Unknown floor.")),
        ("business_types", "tenant__business_type", _("Unknown business type.")),
    ):
        values = sorted({str(v).strip() for v in criteria.get(key) or [] if str(v).strip()})
        known = set(current.filter(**{f"{path}__in": values}).values_list(path, flat=True).distinct())
        if set(values) - known:
            raise DomainError(message, field=key)
        cleaned[key] = values
    return cleaned


def tenant_round_audience(criteria: dict):
    """The contacts with an e-mail of current tenants (not moved out) matching the criteria."""
    contacts = (
        TenantContact.objects.filter(tenant__moved_out_at__isnull=True)
        .exclude(email="")
        .select_related("tenant")
        .order_by("pk")
    )
    if criteria.get("floors"):
        contacts = contacts.filter(tenant__floor__in=criteria["floors"])
    if criteria.get("business_types"):
        contacts = contacts.filter(tenant__business_type__in=criteria["business_types"])
    return contacts


def _recipients(survey_round: SurveyRound, criteria: dict, expires_at) -> list[Recipient]:
    """One recipient per matching contact, its link unusable until the sender e-mails it."""
    if survey_round.survey.audience == SurveyAudience.TENANTS:
        people = [({"tenant": c.tenant, "tenant_contact": c}, c) for c in tenant_round_audience(criteria)]
    else:
        people = [({"customer": c.customer, "contact": c}, c) for c in round_audience(criteria)]
    return [
        Recipient(
            round=survey_round,
            name=contact.name[:100],
            email=contact.email,
            token_hash=_unusable_hash(),
            expires_at=expires_at,
            **subject,
        )
        for subject, contact in people
    ]


def round_audience(criteria: dict):
    """Active contacts with an e-mail of non-archived customers matching the criteria."""
    contacts = (
        Contact.objects.filter(active=True, customer__archived_at__isnull=True)
        .exclude(email="")
        .select_related("customer")
        .order_by("pk")
    )
    if criteria.get("grades"):
        contacts = contacts.filter(customer__grade__in=criteria["grades"])
    if criteria.get("industries"):
        contacts = contacts.filter(customer__industry__code__in=criteria["industries"])
    if criteria.get("owners"):
        contacts = contacts.filter(customer__owner_id__in=criteria["owners"])
    return contacts


def _create_round(*, actor: User | None, survey: Survey, name: str, criteria: dict, period: str) -> SurveyRound:
    survey_settings = SurveySettings.load()
    now = timezone.now()
    expires_at = now + timedelta(days=survey_settings.link_days)
    survey_round = SurveyRound.objects.create(
        survey=survey, name=name, period=period, criteria=criteria, started_by=actor, closes_at=expires_at
    )
    recipients = _recipients(survey_round, criteria, expires_at)
    if not recipients:
        raise DomainError(_("No active contact with an e-mail matches these filters."), field="criteria")
    Recipient.objects.bulk_create(recipients, batch_size=1000)
    round_id = survey_round.pk
    transaction.on_commit(lambda: _enqueue_invitations(round_id))
    return survey_round


def _enqueue_invitations(round_id: int) -> None:
    from ..tasks import send_survey_invitations

    # Should the broker be down, the periodic job sends the invitations still unsent.
    enqueue(send_survey_invitations, round_id)


def survey_round_start(
    *, actor: User | None, survey: Survey, name: str, criteria: dict | None = None, period: str = ""
) -> SurveyRound:
    """SUR-01/SUR-02: start a round — one recipient per matching contact, each e-mailed their
    own link after commit. `actor` None is the scheduler. A round with a `period` exists once
    per survey (a unique constraint), so a second or concurrent scheduled run raises
    DomainError and changes nothing."""
    if actor is not None and not can_manage_surveys(actor, survey.audience):
        raise PermissionDenied(
            _("Only operations staff start tenant survey rounds.")
            if survey.audience == SurveyAudience.TENANTS
            else _("Only customer service and sales managers or directors start survey rounds.")
        )
    name = (name or "").strip() or period
    if not name:
        raise DomainError(_("Give the round a name."), field="name")
    if len(name) > SurveyRound._meta.get_field("name").max_length:
        raise DomainError(_("The name is too long."), field="name")
    criteria = clean_criteria(criteria, survey.audience)
    try:
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=survey.pk)
            if not survey.active:
                raise DomainError(_("This survey is not active."))
            if not survey.questions.exists():
                raise DomainError(_("This survey has no questions."))
            if period and SurveyRound.objects.filter(survey=survey, period=period).exists():
                raise DomainError(_("The round of %(period)s has already been started.") % {"period": period})
            return _create_round(actor=actor, survey=survey, name=name, criteria=criteria, period=period)
    except IntegrityError:
        # A concurrent run created the same period's round first.
        raise DomainError(_("The round of %(period)s has already been started.") % {"period": period})


def survey_round_close(*, actor: User, survey_round: SurveyRound) -> SurveyRound:
    """Close a round early: its links stop working."""
    if not can_manage_surveys(actor, survey_round.survey.audience):
        raise PermissionDenied(
            _("Only operations staff close tenant survey rounds.")
            if survey_round.survey.audience == SurveyAudience.TENANTS
            else _("Only customer service and sales managers or directors close survey rounds.")
        )
    with transaction.atomic():
        survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
        if survey_round.closed:
            raise DomainError(_("This round is already closed."))
        survey_round.closed = True
        survey_round.closes_at = min(survey_round.closes_at, timezone.now())
        survey_round.save(update_fields=["closed", "closes_at"])
    return survey_round


def survey_rounds_close_due(*, now=None) -> int:
    """Close the rounds whose closing time has passed (run by the scheduled job)."""
    return SurveyRound.objects.filter(closed=False, closes_at__lte=now or timezone.now()).update(closed=True)


def _invitation(recipient: Recipient, token: str) -> tuple[str, str]:
    survey = recipient.round.survey
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("We would like your opinion: %(survey)s") % {"survey": survey.title}
        body = _(
            "Dear %(name)s,\n\n"
            "thank you for working with us. Please tell us how we are doing — it takes a few minutes:\n\n"
            "%(link)s\n\n"
            "The link is personal, works once and expires on %(expires)s."
        ) % {
            "name": recipient.name,
            "link": answer_url(token),
            "expires": timezone.localtime(recipient.expires_at).strftime("%Y-%m-%d"),
        }
    return subject, body


def survey_invitations_send(*, round_id: int) -> int:
    """E-mail each unsent recipient of a round their personal link (SUR-01, JOB-09).

    Each recipient is claimed with a conditional UPDATE (`sent_at IS NULL`) that stores the
    hash of a fresh token, and only then e-mailed, so two workers or a retry never e-mail
    anyone twice. A failed e-mail releases its claim (and its token) for the retry."""
    survey_round = SurveyRound.objects.select_related("survey").get(pk=round_id)
    if survey_round.closed:
        return 0
    link_days = SurveySettings.load().link_days
    sent = 0
    pending = Recipient.objects.filter(round_id=round_id, sent_at__isnull=True).order_by("pk")
    for recipient in pending.iterator(chunk_size=500):
        token = secrets.token_urlsafe(32)
        hashed = token_hash(token)
        now = timezone.now()
        expires_at = min(now + timedelta(days=link_days), max(survey_round.closes_at, now))
        claimed = Recipient.objects.filter(pk=recipient.pk, sent_at__isnull=True).update(
            sent_at=now, token_hash=hashed, expires_at=expires_at
        )
        if not claimed:
            continue
        recipient.round, recipient.expires_at = survey_round, expires_at
        subject, body = _invitation(recipient, token)
        try:
            send_mail(
                subject=subject,
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
            )
        except Exception:
            Recipient.objects.filter(pk=recipient.pk, token_hash=hashed).update(
                sent_at=None, token_hash=_unusable_hash()
            )
            raise
        sent += 1
    return sent


def survey_invitations_send_unsent() -> int:
    """Send the invitations of open rounds that are still unsent — their job could not be
    queued (the broker was down) or gave up (JOB-09). Returns how many were sent."""
    open_rounds = SurveyRound.objects.filter(
        closed=False, closes_at__gt=timezone.now(), recipients__sent_at__isnull=True
    ).order_by("pk")
    round_ids = list(open_rounds.values_list("pk", flat=True).distinct())
    return sum(survey_invitations_send(round_id=pk) for pk in round_ids)


# --- scheduled rounds ------------------------------------------------------------------------


def round_period(day: date, months: int) -> str:
    """The period a scheduled round belongs to: every 12 months "2026", 6 "2026-H2",
    3 "2026-Q4", 1 "2026-11"; other divisors of 12 number the periods ("2026-P6" for the
    sixth two-month period). A value that does not divide 12 falls back to quarters."""
    if months <= 0 or 12 % months:
        months = 3
    index = (day.month - 1) // months + 1
    if months == 12:
        return f"{day.year}"
    if months == 6:
        return f"{day.year}-H{index}"
    if months == 3:
        return f"{day.year}-Q{index}"
    if months == 1:
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-P{index}"


def scheduled_rounds_start(*, today: date) -> list[SurveyRound]:
    """JOB-05/SUR-02: start the current period's round of every active scheduled survey that
    does not have it yet, to every contact of its audience with an e-mail: customers every
    `customer_round_months` (a quarter), tenants every `tenant_round_months` (half a year).
    Running it twice (or two workers at once) starts each round once."""
    survey_settings = SurveySettings.load()
    months = {
        SurveyAudience.CUSTOMERS: survey_settings.customer_round_months,
        SurveyAudience.TENANTS: survey_settings.tenant_round_months,
    }
    started = []
    for audience, every in months.items():
        period = round_period(today, every)
        surveys = Survey.objects.filter(active=True, scheduled=True, audience=audience)
        for survey in surveys.exclude(rounds__period=period).order_by("pk"):
            try:
                started.append(survey_round_start(actor=None, survey=survey, name=period, period=period))
            except DomainError as error:
                log.info("Scheduled round %s of survey %s not started: %s", period, survey.pk, error)
    return started
