"""Outgoing notices and letters 对外发文 (TEN-06).

    draft (operations / the department concerned) → approve (that department's head)
    → approve_seal (management) → seal (operations, at the GM office) → deliver (a one-time
    link per tenant, e-mailed to its main contact) → each tenant signs for it 签收, by the link
    or on paper (operations uploads the scan).

Each step locks the notice, checks its state and the actor and writes nothing when refused:
a step out of order raises DomainError, a person who may never take it PermissionDenied."""

import hashlib
import secrets
import string
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError
from crm_project.core.files import display_name
from crm_project.core.jobs import enqueue_on_commit
from crm_project.core.uploads import check_scan

from ..models import Notice, NoticeAddressee, NoticeStatus, NoticeTemplate, ReceiptMethod, Tenant
from ..permissions_notices import (
    can_approve,
    can_approve_seal,
    can_deliver,
    can_draft,
    can_record_receipt,
    can_seal,
    keeps_templates,
)
from .common import require, save
from .common import text_field as _text

PLACEHOLDERS = ("tenant", "unit", "date", "due_date")
TITLE_MAX = 200
BODY_MAX = 20000
NAME_MAX = 100


# --- templates and rendering ------------------------------------------------------------------


def placeholders_in(text: str) -> list[str]:
    """The {names} in a text; a malformed brace is refused with a message saying where."""
    try:
        parsed = list(string.Formatter().parse(text or ""))
    except ValueError as error:
        raise DomainError(
            _("The text has a stray brace: write placeholders as {tenant}, {unit}, {date} or {due_date} (%(error)s).")
            % {"error": error},
            field="body",
        ) from error
    return [name for _literal, name, _spec, _conversion in parsed if name is not None]


def check_placeholders(text: str) -> None:
    unknown = sorted({name for name in placeholders_in(text) if name not in PLACEHOLDERS})
    if unknown:
        raise DomainError(
            _("Unknown placeholder %(names)s. Use only {tenant}, {unit}, {date} and {due_date}.")
            % {"names": ", ".join(f"{{{name}}}" for name in unknown)},
            field="body",
        )


def render_notice_text(text: str, *, tenant: Tenant, notice_date: date, due_date: date | None) -> str:
    """The text as it reads for one tenant. An unknown placeholder is refused, never left in."""
    check_placeholders(text)
    if "due_date" in placeholders_in(text) and due_date is None:
        raise DomainError(_("The text uses {due_date}: give the notice a due date."), field="due_date")
    values = {
        "tenant": tenant.shop_name,
        "unit": tenant.unit,
        "date": notice_date.strftime("%Y-%m-%d"),
        "due_date": due_date.strftime("%Y-%m-%d") if due_date else "",
    }
    pieces = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        pieces.append(literal)
        if name is not None:
            pieces.append(values[name])
    return "".join(pieces)


def template_save(*, actor, name: str, title: str, body: str, template: NoticeTemplate | None = None) -> NoticeTemplate:
    """Operations keeps the unified templates; a body with an unknown placeholder is refused."""
    require(keeps_templates(actor), _("Only operations staff keep the notice templates."))
    name = _text(name, field="name", label=_("the name"), limit=NAME_MAX)
    title = _text(title, field="title", label=_("the title"), limit=TITLE_MAX)
    body = _text(body, field="body", label=_("the text"), limit=BODY_MAX)
    check_placeholders(title)
    check_placeholders(body)
    clash = NoticeTemplate.objects.filter(name=name)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise DomainError(_("A template with this name already exists."), field="name")
    with transaction.atomic():
        if template is None:
            template = NoticeTemplate(name=name, title=title, body=body)
            template._history_user = actor
            template.save()
        else:
            template = NoticeTemplate.objects.select_for_update().get(pk=template.pk)
            template.name, template.title, template.body = name, title, body
            save(template, actor, ["name", "title", "body", "updated_at"], _("Template changed"))
    return template


# --- draft ------------------------------------------------------------------------------------


def current_tenants():
    return Tenant.objects.filter(moved_out_at__isnull=True)


def notice_draft(
    *,
    actor,
    department,
    title: str,
    body: str,
    tenants,
    notice_date: date | None = None,
    due_date: date | None = None,
    template: NoticeTemplate | None = None,
) -> Notice:
    """A new notice for the department concerned, with its text rendered for each addressed
    tenant (TEN-06). Only current tenants are addressed, each once."""
    require(can_draft(actor, department), _("Only operations staff or the department concerned draft a notice."))
    title = _text(title, field="title", label=_("the title"), limit=TITLE_MAX)
    body = _text(body, field="body", label=_("the text"), limit=BODY_MAX)
    check_placeholders(title)
    notice_date = notice_date or timezone.localdate()
    if due_date is not None and due_date < notice_date:
        raise DomainError(_("The due date cannot be before the date of the notice."), field="due_date")
    chosen = {tenant.pk: tenant for tenant in tenants}
    current = list(current_tenants().filter(pk__in=chosen).order_by("floor", "unit"))
    if len(current) != len(chosen):
        raise DomainError(_("Address the notice to current tenants only."), field="tenants")
    if not current:
        raise DomainError(_("Choose at least one tenant to address the notice to."), field="tenants")
    texts = [render_notice_text(body, tenant=tenant, notice_date=notice_date, due_date=due_date) for tenant in current]
    with transaction.atomic():
        notice = Notice(
            title=title, body=body, template=template, department=department, notice_date=notice_date,
            due_date=due_date, drafted_by=actor, drafted_at=timezone.now(),
        )  # fmt: skip
        notice._history_user = actor
        notice.save()
        NoticeAddressee.objects.bulk_create(
            NoticeAddressee(notice=notice, tenant=tenant, text=text)
            for tenant, text in zip(current, texts, strict=True)
        )
    return notice


# --- the steps --------------------------------------------------------------------------------


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update(of=("self",)).select_related("department").get(pk=notice.pk)


def _expect(notice: Notice, status: str, message: str) -> None:
    if notice.status != status:
        raise DomainError(message)


def notice_approve(*, actor, notice: Notice) -> Notice:
    """The leader of the department concerned approves the draft (TEN-06)."""
    with transaction.atomic():
        notice = _locked(notice)
        require(can_approve(actor, notice), _("Only the head of the department concerned approves this notice."))
        _expect(notice, NoticeStatus.DRAFT, _("Only a draft is approved by the department head."))
        notice.status, notice.approved_by, notice.approved_at = NoticeStatus.APPROVED, actor, timezone.now()
        save(notice, actor, ["status", "approved_by", "approved_at"], _("Approved by the department head"))
    return notice


def notice_approve_seal(*, actor, notice: Notice) -> Notice:
    """Management approves the application for the seal (TEN-06): its one write here."""
    with transaction.atomic():
        notice = _locked(notice)
        require(can_approve_seal(actor, notice), _("Only management approves the use of the seal."))
        _expect(
            notice, NoticeStatus.APPROVED, _("The department head approves the notice before the seal is applied for.")
        )
        notice.status = NoticeStatus.SEAL_APPROVED
        notice.seal_approved_by, notice.seal_approved_at = actor, timezone.now()
        save(notice, actor, ["status", "seal_approved_by", "seal_approved_at"], _("Seal approved"))
    return notice


def notice_seal(*, actor, notice: Notice) -> Notice:
    """The seal is put on at the GM office; who did it and when is recorded (TEN-06)."""
    with transaction.atomic():
        notice = _locked(notice)
        require(can_seal(actor, notice), _("Only operations staff record the seal at the GM office."))
        _expect(notice, NoticeStatus.SEAL_APPROVED, _("Management approves the seal before the notice is sealed."))
        notice.status, notice.sealed_by, notice.sealed_at = NoticeStatus.SEALED, actor, timezone.now()
        save(notice, actor, ["status", "sealed_by", "sealed_at"], _("Sealed at the GM office"))
    return notice


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('tenants:notice_sign', args=[token])}"


def _link_days() -> int:
    return max(1, int(settings.TENANT_NOTICE_LINK_DAYS))


def _unusable_hash() -> str:
    # The hash of a token nobody ever sees: a link works only once the sending job has replaced
    # it with the hash of the token it e-mails (or the desk has issued a new one).
    return token_hash(secrets.token_urlsafe(32))


def notice_deliver(*, actor, notice: Notice) -> Notice:
    """Deliver the sealed notice (TEN-06): each addressed tenant's personal one-time link, valid
    TENANT_NOTICE_LINK_DAYS days, is e-mailed to its main contact by a job after commit
    (`notice_links_send`), so neither a slow mail server nor a broker that is down holds up
    the desk. Only the tokens' SHA-256 is ever stored; the sending job makes each token as it
    e-mails it."""
    with transaction.atomic():
        notice = _locked(notice)
        require(can_deliver(actor, notice), _("Only operations staff deliver notices."))
        _expect(notice, NoticeStatus.SEALED, _("Only a sealed notice is delivered."))
        now = timezone.now()
        expires_at = now + timedelta(days=_link_days())
        addressees = list(notice.addressees.select_related("tenant").prefetch_related("tenant__contacts"))
        for addressee in addressees:
            addressee.token_hash, addressee.expires_at = _unusable_hash(), expires_at
            addressee.emailed_to = _main_email(addressee.tenant)
        NoticeAddressee.objects.bulk_update(addressees, ["token_hash", "expires_at", "emailed_to"], batch_size=500)
        notice.status, notice.delivered_at = NoticeStatus.DELIVERED, now
        save(notice, actor, ["status", "delivered_at"], _("Delivered to the tenants"))
        from ..tasks_notices import send_notice_links

        enqueue_on_commit(send_notice_links, notice.pk)
    return notice


def _main_email(tenant: Tenant) -> str:
    """The main contact's e-mail (the one flagged, else the first, as the archive shows it)."""
    contacts = sorted(tenant.contacts.all(), key=lambda contact: (not contact.is_primary, contact.name, contact.pk))
    return contacts[0].email if contacts else ""


def _mail(notice: Notice, addressee: NoticeAddressee, token: str, expires_at) -> tuple[str, str]:
    subject = _("Notice from the shopping centre: %(title)s") % {"title": notice.title}
    body = _(
        "Dear %(tenant)s,\n\n%(text)s\n\nPlease confirm that you have received this notice (签收) with your personal "
        "link, valid until %(until)s:\n%(url)s\n\nThe operations department"
    ) % {
        "tenant": addressee.tenant.shop_name,
        "text": addressee.text,
        "until": timezone.localtime(expires_at).strftime("%Y-%m-%d"),
        "url": sign_url(token),
    }
    return subject, body


def notice_links_send(*, notice_id: int) -> int:
    """E-mail each unsigned addressee of a delivered notice whose link has not gone out yet
    (TEN-06, JOB-09). Each is claimed with a conditional UPDATE (`emailed_at IS NULL`) that
    stores the hash of a fresh token, and only then e-mailed, so two workers or a retry never
    e-mail a tenant twice; a failed e-mail releases its claim for the retry. Returns how many
    were sent."""
    notice = Notice.objects.filter(pk=notice_id, status=NoticeStatus.DELIVERED).first()
    if notice is None:
        return 0
    pending = (
        NoticeAddressee.objects.filter(notice=notice, emailed_at__isnull=True, signed_at__isnull=True)
        .exclude(emailed_to="")
        .select_related("tenant")
        .order_by("pk")
    )
    sent = 0
    for addressee in pending.iterator(chunk_size=200):
        token = secrets.token_urlsafe(32)
        hashed = token_hash(token)
        claimed = NoticeAddressee.objects.filter(pk=addressee.pk, emailed_at__isnull=True, signed_at__isnull=True)
        if not claimed.update(emailed_at=timezone.now(), token_hash=hashed):
            continue
        subject, body = _mail(notice, addressee, token, addressee.expires_at)
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [addressee.emailed_to]).send()
        except Exception:
            NoticeAddressee.objects.filter(pk=addressee.pk, token_hash=hashed).update(
                emailed_at=None, token_hash=_unusable_hash()
            )
            raise
        sent += 1
    return sent


def notice_links_send_unsent() -> int:
    """The links of delivered notices still unsent: their job could not be queued (the broker
    was down) or gave up. Returns how many were sent."""
    pending = NoticeAddressee.objects.filter(
        notice__status=NoticeStatus.DELIVERED, emailed_at__isnull=True, signed_at__isnull=True
    ).exclude(emailed_to="")
    notice_ids = sorted(set(pending.values_list("notice_id", flat=True)))
    return sum(notice_links_send(notice_id=pk) for pk in notice_ids)


def notice_link_reissue(*, actor, addressee: NoticeAddressee) -> str:
    """A new personal link for an unsigned addressee (the e-mail was lost, the tenant has no
    e-mail): shown once to the desk; the old link stops working."""
    require(can_deliver(actor), _("Only operations staff issue sign-for links."))
    with transaction.atomic():
        notice = _locked(addressee.notice)
        addressee = NoticeAddressee.objects.select_for_update().get(pk=addressee.pk, notice=notice)
        _expect(notice, NoticeStatus.DELIVERED, _("A link is issued once the notice is delivered."))
        if addressee.is_signed:
            raise DomainError(_("This tenant has already signed for the notice."))
        token = secrets.token_urlsafe(32)
        addressee.token_hash = token_hash(token)
        addressee.expires_at = timezone.now() + timedelta(days=_link_days())
        addressee._history_user = actor
        addressee.save(update_fields=["token_hash", "expires_at"])
    return sign_url(token)


# --- signing for it 签收 ----------------------------------------------------------------------


def addressee_for_token(token: str) -> tuple[NoticeAddressee | None, str]:
    """(addressee, state) for a personal link: "open", "signed", "expired" or "unknown"."""
    if not token or len(token) > 100:
        return None, "unknown"
    addressee = NoticeAddressee.objects.select_related("notice", "tenant").filter(token_hash=token_hash(token)).first()
    if addressee is None or addressee.notice.status != NoticeStatus.DELIVERED:
        return None, "unknown"
    if addressee.is_signed:
        return addressee, "signed"
    if addressee.expires_at is None or addressee.expires_at <= timezone.now():
        return addressee, "expired"
    return addressee, "open"


def notice_sign_by_link(*, token: str, signer_name: str = "") -> NoticeAddressee:
    """The tenant signs for the notice on its personal page (no login). Works once."""
    signer_name = (signer_name or "").strip()[:100]
    addressee, _state = addressee_for_token(token)
    if addressee is None:
        raise DomainError(_("This link is not valid."))
    with transaction.atomic():
        # The notice first, then the addressee: the desk's steps lock in that order too, so a
        # link and a paper receipt at the same moment wait for each other instead of deadlocking.
        _locked(addressee.notice)
        addressee = (
            NoticeAddressee.objects.select_for_update(of=("self",))
            .select_related("notice", "tenant")
            .get(pk=addressee.pk)
        )
        if addressee.is_signed:
            raise DomainError(_("This notice has already been signed for."))
        if addressee.token_hash != token_hash(token):
            raise DomainError(_("This link is not valid."))
        if addressee.expires_at is None or addressee.expires_at <= timezone.now():
            raise DomainError(_("This link has expired."))
        # Works once: signed_at decides. The hash stays, so the used link says "already signed".
        addressee.signed_at, addressee.method, addressee.signer_name = timezone.now(), ReceiptMethod.LINK, signer_name
        addressee._change_reason = "签收 (link)"
        addressee.save(update_fields=["signed_at", "method", "signer_name"])
    return addressee


def notice_receipt_paper(*, actor, notice: Notice, tenant: Tenant, scan, signer_name: str = "") -> NoticeAddressee:
    """Operations uploads the scan of the tenant's signed paper receipt (method paper). The
    scan must really be a PDF or an image (read from its content)."""
    require(can_record_receipt(actor, notice), _("Only operations staff record paper receipts."))
    kind = check_scan(scan, max_mb=settings.TENANT_NOTICE_SCAN_MAX_MB)
    signer_name = (signer_name or "").strip()
    if len(signer_name) > NAME_MAX:
        raise DomainError(_("The name is too long: at most %(limit)s characters.") % {"limit": NAME_MAX},
                          field="signer_name")  # fmt: skip
    with transaction.atomic():
        notice = _locked(notice)
        _expect(notice, NoticeStatus.DELIVERED, _("A receipt is recorded once the notice is delivered."))
        addressee = NoticeAddressee.objects.select_for_update().filter(notice=notice, tenant=tenant).first()
        if addressee is None:
            raise DomainError(_("This notice is not addressed to that tenant."), field="tenant")
        if addressee.is_signed:
            raise DomainError(_("This tenant has already signed for the notice."), field="tenant")
        addressee.scan.save(f"receipt.{kind.extension}", scan, save=False)
        addressee.scan_name = display_name(scan.name, fallback=f"receipt.{kind.extension}")
        addressee.scan_type = kind.content_type
        addressee.signed_at, addressee.method = timezone.now(), ReceiptMethod.PAPER
        addressee.signer_name, addressee.recorded_by = signer_name, actor
        save(addressee, actor, ["scan", "scan_name", "scan_type", "signed_at", "method", "signer_name", "recorded_by"],
             "签收 (paper)")  # fmt: skip
    return addressee
