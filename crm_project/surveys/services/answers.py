"""Answering a survey through a personal link, and the follow-ups of low scores (SUR-01,
SUR-03). A link works once and until it expires (or its round closes); a score at or below
`SurveySettings.low_score` opens a follow-up for the customer's owner, who is notified."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.access import is_read_only
from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify

from ..models import Answer, Question, QuestionKind, Recipient, SurveyFollowUp, SurveyResponse, SurveySettings
from .rounds import MAX_TOKEN_LENGTH, token_hash

MAX_TEXT_ANSWER = 2000
FOLLOW_UP_ROLES = (Role.CUSTOMER_SERVICE, Role.SALES_MANAGER, Role.SALES_DIRECTOR)


def can_complete_follow_up(user, follow_up: SurveyFollowUp) -> bool:
    """The owner it was opened for, the customer's current owner, or a sales manager, director
    or customer service; a tenant's, operations. The caller has already checked that the
    follow-up is visible."""
    if is_read_only(user):
        return False
    if user.is_superuser:
        return True
    if follow_up.tenant_id is not None:
        return user.has_role(Role.OPERATIONS) or follow_up.owner_id == user.pk
    if user.has_role(*FOLLOW_UP_ROLES):
        return True
    return follow_up.owner_id == user.pk or (follow_up.customer is not None and follow_up.customer.owner_id == user.pk)


class SurveyLinkError(DomainError):
    """A link that cannot be answered; `state` is "unknown", "expired" or "answered"."""

    def __init__(self, message: str, *, state: str):
        super().__init__(message)
        self.state = state


def recipient_for_token(token: str) -> tuple[Recipient | None, str]:
    """The recipient of a personal link and its state: "open", "answered", "expired" or
    "unknown" (recipient None). Reads only; `survey_answer` re-checks under a lock."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None, "unknown"
    recipient = (
        Recipient.objects.select_related("round__survey")
        .filter(token_hash=token_hash(token), sent_at__isnull=False)
        .first()
    )
    if recipient is None:
        return None, "unknown"
    return recipient, _link_state(recipient)


def _link_state(recipient: Recipient) -> str:
    if recipient.responded_at is not None:
        return "answered"
    if recipient.expires_at <= timezone.now() or recipient.round.closed:
        return "expired"
    return "open"


# --- answering -------------------------------------------------------------------------------


def _clean_answer(question: Question, value) -> dict | None:
    """The answer's fields, or None when it is blank; DomainError when it is not valid."""
    field = f"q{question.pk}"
    if value is None or (isinstance(value, str) and not value.strip()):
        if question.required:
            raise DomainError(_("Please answer “%(question)s”.") % {"question": question.text}, field=field)
        return None
    if question.kind == QuestionKind.SCORE:
        try:
            score = int(str(value).strip())
        except ValueError:
            score = 0
        if not 1 <= score <= 5:
            raise DomainError(_("A score is a whole number from 1 to 5."), field=field)
        return {"score": score}
    if question.kind == QuestionKind.CHOICE:
        choice = str(value).strip()
        if choice not in question.choices:
            raise DomainError(_("Pick one of the choices offered."), field=field)
        return {"choice": choice}
    text = str(value).strip()
    if len(text) > MAX_TEXT_ANSWER:
        raise DomainError(_("Please keep the answer under %(max)s characters.") % {"max": MAX_TEXT_ANSWER}, field=field)
    return {"text": text}


def survey_answer(*, token: str, answers: dict) -> SurveyResponse:
    """SUR-01/SUR-03: record a recipient's answers, once and before the link expires.
    `answers` maps question ids to values. A score at or below the low-score setting opens a
    follow-up for the customer's owner, or for the operations manager when a tenant answered,
    who is notified."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise SurveyLinkError(_("This survey link is not valid."), state="unknown")
    with transaction.atomic():
        recipient = (
            Recipient.objects.select_for_update(of=("self",))
            .select_related("round__survey", "customer__owner", "tenant")
            .filter(token_hash=token_hash(token), sent_at__isnull=False)
            .first()
        )
        if recipient is None:
            raise SurveyLinkError(_("This survey link is not valid."), state="unknown")
        state = _link_state(recipient)
        if state == "answered":
            raise SurveyLinkError(_("This survey has already been answered. Thank you!"), state="answered")
        if state == "expired":
            raise SurveyLinkError(_("This survey link has expired."), state="expired")
        questions = list(recipient.round.survey.questions.all())
        by_id = {str(question.pk): question for question in questions}
        given = {str(key): value for key, value in (answers or {}).items()}
        if set(given) - set(by_id):
            raise DomainError(_("The answers do not belong to this survey."))
        cleaned = []
        for question in questions:
            fields = _clean_answer(question, given.get(str(question.pk)))
            if fields is not None:
                cleaned.append((question, fields))
        response = SurveyResponse.objects.create(recipient=recipient)
        rows = Answer.objects.bulk_create([Answer(response=response, question=q, **fields) for q, fields in cleaned])
        recipient.responded_at = response.submitted_at
        recipient.save(update_fields=["responded_at"])
        _open_follow_ups(recipient, rows)
    return response


def _follow_up_owner(recipient: Recipient) -> User | None:
    """The customer's owner; for a tenant, the operations manager (the desk's head)."""
    if recipient.customer is not None:
        return recipient.customer.owner
    if recipient.tenant is not None:
        from tenants.selectors import operations_manager

        return operations_manager() or recipient.round.started_by
    return None


def _open_follow_ups(recipient: Recipient, answers: list[Answer]) -> None:
    low = SurveySettings.load().low_score
    lows = [answer for answer in answers if answer.score is not None and answer.score <= low]
    owner = _follow_up_owner(recipient) if lows else None
    if owner is None:
        return
    for answer in lows:
        follow_up = SurveyFollowUp.objects.create(
            answer=answer, customer=recipient.customer, tenant=recipient.tenant, owner=owner
        )
        _notify_follow_up(follow_up, answer, recipient)


def _notify_follow_up(follow_up: SurveyFollowUp, answer: Answer, recipient: Recipient) -> None:
    owner, customer = follow_up.owner, recipient.customer or recipient.tenant
    params = {
        "customer": customer.name if recipient.customer else customer.shop_name,
        "contact": recipient.name,
        "score": answer.score,
        "question": answer.question.text,
        "survey": recipient.round.survey.title,
    }
    url = f"{reverse('surveys:follow_up_list')}#follow-up-{follow_up.pk}"
    transaction.on_commit(
        lambda: notify(
            recipient=owner,
            key=f"survey-followup:{answer.pk}",
            kind="survey-followup",
            title=gettext_lazy("Low satisfaction score from %(customer)s"),
            body=gettext_lazy(
                "%(contact)s gave %(score)s out of 5 to “%(question)s” in the survey %(survey)s. Please follow up."
            ),
            params=params,
            url=url,
        )
    )


def follow_up_complete(*, actor: User, follow_up: SurveyFollowUp, note: str = "") -> SurveyFollowUp:
    """SUR-03: the owner marks a follow-up done, with what they did."""
    with transaction.atomic():
        follow_up = (
            SurveyFollowUp.objects.select_for_update(of=("self",)).select_related("customer").get(pk=follow_up.pk)
        )
        if not can_complete_follow_up(actor, follow_up):
            raise PermissionDenied(
                _("Only operations complete a tenant's follow-up.")
                if follow_up.tenant_id
                else _("Only the customer's owner or their manager completes this follow-up.")
            )
        if follow_up.done_at is not None:
            raise DomainError(_("This follow-up is already done."))
        note = (note or "").strip()
        if len(note) > MAX_TEXT_ANSWER:
            raise DomainError(_("Please keep the note under %(max)s characters.") % {"max": MAX_TEXT_ANSWER})
        follow_up.done_at = timezone.now()
        follow_up.note = note
        follow_up.save(update_fields=["done_at", "note"])
    return follow_up
