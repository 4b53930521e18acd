"""TEN-11: online feedback (the website, a forum, Weibo) gets a public reply: the desk drafts
it, the department concerned reviews it, then the desk marks it published with the time.
Nothing is published unreviewed, and a change to a reviewed text needs a new review."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError

from ..models import OnlineReply, TenantRequest
from ..permissions import can_keep_archive, can_review_reply
from .common import locked, record_step, require, save

TEXT_MAX = 5000


def _online(request: TenantRequest) -> None:
    if not request.is_online:
        raise DomainError(_("Only feedback from the website, a forum or social media gets a public reply."))


def reply_draft(*, actor, request: TenantRequest, text: str) -> OnlineReply:
    require(can_keep_archive(actor), _("Only the operations desk drafts public replies."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the reply first."), field="text")
    if len(text) > TEXT_MAX:
        raise DomainError(_("The reply is too long: at most %(limit)s characters.") % {"limit": TEXT_MAX}, field="text")
    with transaction.atomic():
        request = locked(request)
        _online(request)
        reply = OnlineReply.objects.select_for_update().filter(request=request).first()
        if reply is not None and reply.published_at:
            raise DomainError(_("The reply was published; it can no longer be changed."))
        if reply is None:
            reply = OnlineReply(request=request, text=text, drafted_at=timezone.now(), drafted_by=actor)
            reply._history_user = actor
            reply.save()
        elif reply.text != text:
            reply.text, reply.drafted_at, reply.drafted_by = text, timezone.now(), actor
            reply.reviewed_at = reply.reviewed_by = None
            save(reply, actor, ["text", "drafted_at", "drafted_by", "reviewed_at", "reviewed_by"], _("Draft changed"))
        record_step(request, actor=actor, action="reply_draft", from_status=request.status)
    return reply


def reply_review(*, actor, request: TenantRequest) -> OnlineReply:
    with transaction.atomic():
        request = locked(request)
        require(can_review_reply(actor, request), _("Only the department concerned reviews the public reply."))
        reply = OnlineReply.objects.select_for_update().filter(request=request).first()
        if reply is None:
            raise DomainError(_("There is no draft reply to review yet."))
        if reply.published_at:
            raise DomainError(_("The reply was already published."))
        if reply.reviewed_at:
            raise DomainError(_("The reply was already reviewed."))
        reply.reviewed_at, reply.reviewed_by = timezone.now(), actor
        save(reply, actor, ["reviewed_at", "reviewed_by"], _("Reviewed"))
        record_step(request, actor=actor, action="reply_review", from_status=request.status)
    return reply


def reply_publish(*, actor, request: TenantRequest) -> OnlineReply:
    with transaction.atomic():
        request = locked(request)
        require(can_keep_archive(actor), _("Only the operations desk publishes public replies."))
        reply = OnlineReply.objects.select_for_update().filter(request=request).first()
        if reply is None:
            raise DomainError(_("There is no reply to publish yet."))
        if reply.published_at:
            raise DomainError(_("The reply was already published."))
        if not reply.reviewed_at:
            raise DomainError(
                _("The department concerned has not reviewed the reply; nothing is published unreviewed.")
            )
        reply.published_at, reply.published_by = timezone.now(), actor
        save(reply, actor, ["published_at", "published_by"], _("Published"))
        record_step(request, actor=actor, action="reply_publish", from_status=request.status)
    return reply
