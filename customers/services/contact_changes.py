"""Contact-person changes that affect fees: 附表5 月客户相关人员变更申请表 (CUS-05).

Filed by the rep, approved by the sales manager, then by the sales director, then recorded
by the sales clerk — strictly in that order. The contacts change only at the director's
approval; a rejected or unapproved request changes nothing. Nobody approves their own
request. The fee-receiving shares of a customer add up to exactly 100 % (or there are none).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm_project.accounts.models import User
from crm_project.accounts.roles import Role
from crm_project.core.errors import DomainError, PermissionDenied
from crm_project.notifications.services import notify

from ..models import (
    ChangeStatus,
    Contact,
    ContactChangeAction,
    ContactChangeItem,
    ContactChangeRequest,
    ContactRole,
    Customer,
)
from ..permissions import (
    can_approve_contact_change_as_director,
    can_approve_contact_change_as_manager,
    can_edit_customer,
    can_record_contact_change,
)
from ..selectors import customer_visible_to
from .search import customer_refresh_search_text

HUNDRED = Decimal("100.00")
CENT = Decimal("0.01")
OPEN_STATUSES = (ChangeStatus.PENDING, ChangeStatus.MANAGER_APPROVED)


def department_members(customer: Customer, role: Role):
    """The active people with `role` in the customer owner's department."""
    return User.objects.filter(groups__name=role, department_id=customer.owner.department_id, is_active=True).distinct()


def _share(value, *, label: str) -> Decimal:
    try:
        share = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("The share of %(name)s is not a number.") % {"name": label}, field="items")
    if not (0 < share <= HUNDRED):
        raise DomainError(
            _("The share of %(name)s must be more than 0 %% and at most 100 %%.") % {"name": label}, field="items"
        )
    return share


def _check_total(shares: dict) -> None:
    total = sum(shares.values(), start=Decimal("0.00"))
    if shares and total != HUNDRED:
        raise DomainError(
            _("The fee shares add up to %(total)s %%, not 100 %%.") % {"total": f"{total:.2f}"}, field="items"
        )


@dataclass
class _Line:
    action: str
    contact: Contact | None = None
    name: str = ""
    role: str = ""
    phone: str = ""
    old_share: Decimal | None = None
    new_share: Decimal | None = None


def _contact_pk(value) -> int | None:
    if isinstance(value, Contact):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _validated_lines(items: list[dict], receiving: dict[int, Contact]) -> list[_Line]:
    """Check every line against the customer's current fee-receiving contacts and the
    100 % rule for the result; returns the lines with the shares before and after."""
    if not items:
        raise DomainError(_("Add at least one change: a contact to add, remove, or a new share."), field="items")
    lines: list[_Line] = []
    touched: set[int] = set()
    shares = {pk: contact.fee_share for pk, contact in receiving.items()}
    added = 0
    for item in items:
        action = item.get("action")
        if action == ContactChangeAction.ADD:
            name = (item.get("name") or "").strip()
            if not name:
                raise DomainError(_("A contact to add needs a name."), field="items")
            role = item.get("role") or ContactRole.OTHER
            if role not in ContactRole.values:
                raise DomainError(_("Choose the role of %(name)s at the customer.") % {"name": name}, field="items")
            share = _share(item.get("new_share"), label=name)
            added += 1
            shares[f"new-{added}"] = share
            lines.append(
                _Line(action=action, name=name, role=role, phone=(item.get("phone") or "").strip(), new_share=share)
            )
            continue
        if action not in (ContactChangeAction.REMOVE, ContactChangeAction.SHARE):
            raise DomainError(_("Unknown change “%(action)s”.") % {"action": action}, field="items")
        pk = _contact_pk(item.get("contact"))
        contact = receiving.get(pk)
        if contact is None:
            raise DomainError(
                _("Only an active fee-receiving contact of this customer can be removed or get a new share."),
                field="items",
            )
        if pk in touched:
            raise DomainError(
                _("%(name)s appears more than once in this request.") % {"name": contact.name}, field="items"
            )
        touched.add(pk)
        line = _Line(
            action=action, contact=contact, name=contact.name, role=contact.role, phone=contact.phone,
            old_share=contact.fee_share,
        )  # fmt: skip
        if action == ContactChangeAction.REMOVE:
            shares.pop(pk)
        else:
            line.new_share = _share(item.get("new_share"), label=contact.name)
            if line.new_share == contact.fee_share:
                raise DomainError(
                    _("The share of %(name)s is already %(share)s %%.")
                    % {"name": contact.name, "share": contact.fee_share},
                    field="items",
                )
            shares[pk] = line.new_share
        lines.append(line)
    _check_total(shares)
    return lines


def _receiving_contacts(customer: Customer, *, lock: bool = False) -> dict[int, Contact]:
    queryset = Contact.objects.filter(customer=customer, active=True, receives_fee=True)
    if lock:
        queryset = queryset.select_for_update()
    return {contact.pk: contact for contact in queryset}


def _notify_all(recipients, *, request: ContactChangeRequest, step: str, title, body, params: dict) -> None:
    url = f"/customers/change-requests/{request.pk}/"
    for recipient in recipients:
        transaction.on_commit(
            lambda recipient=recipient: notify(
                recipient=recipient,
                key=f"contact-change:{request.pk}:{step}:{recipient.pk}",
                kind="contact-change",
                title=title,
                body=body,
                params=params,
                url=url,
            )
        )


def contact_change_file(*, actor: User, customer: Customer, reason: str, items: list[dict]) -> ContactChangeRequest:
    """File a 附表5 (CUS-05). Items: {"action": "add", name, role, phone, new_share},
    {"action": "remove", contact} or {"action": "share", contact, new_share}. Nothing
    changes on the contacts yet; the department's sales managers are told."""
    if not can_edit_customer(actor, customer):
        raise PermissionDenied(_("You may not file changes to this customer's contacts."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the contacts change."), field="reason")
    with transaction.atomic():
        customer = Customer.objects.select_for_update(of=("self",)).select_related("owner").get(pk=customer.pk)
        if ContactChangeRequest.objects.filter(customer=customer, status__in=OPEN_STATUSES).exists():
            raise DomainError(_("A change request for this customer is already under way; wait until it is decided."))
        lines = _validated_lines(items, _receiving_contacts(customer))
        request = ContactChangeRequest.objects.create(customer=customer, filed_by=actor, reason=reason.strip())
        ContactChangeItem.objects.bulk_create(
            ContactChangeItem(
                request=request, action=line.action, contact=line.contact, name=line.name, role=line.role,
                phone=line.phone, old_share=line.old_share, new_share=line.new_share,
            )
            for line in lines
        )  # fmt: skip
        _notify_all(
            department_members(customer, Role.SALES_MANAGER),
            request=request,
            step="filed",
            title=gettext_lazy("Approve a contact change for %(customer)s"),
            body=gettext_lazy("%(rep)s filed a change to the fee-receiving contacts (附表5): %(reason)s"),
            params={"customer": customer.name, "rep": actor.display_name, "reason": request.reason},
        )
    return request


# --- the steps --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the request: who may take it and from which state."""

    name: str
    allowed: Callable[[User], bool]
    from_status: str
    not_allowed: str
    too_early: str


STEPS = {
    "manager": Step(
        "manager",
        can_approve_contact_change_as_manager,
        ChangeStatus.PENDING,
        gettext_lazy("Only the sales manager approves a contact change first."),
        "",
    ),
    "director": Step(
        "director",
        can_approve_contact_change_as_director,
        ChangeStatus.MANAGER_APPROVED,
        gettext_lazy("Only the sales director gives the second approval."),
        gettext_lazy("The sales manager must approve this request before the director."),
    ),
    "clerk": Step(
        "clerk",
        can_record_contact_change,
        ChangeStatus.APPROVED,
        gettext_lazy("Only the sales clerk records an approved contact change."),
        gettext_lazy("The sales director must approve this request before the clerk records it."),
    ),
}

STATUS_ORDER = [ChangeStatus.PENDING, ChangeStatus.MANAGER_APPROVED, ChangeStatus.APPROVED, ChangeStatus.RECORDED]


def next_step(request: ContactChangeRequest) -> Step | None:
    """The step the request waits for, or None once recorded or rejected."""
    for step in STEPS.values():
        if request.status == step.from_status:
            return step
    return None


def _load(request: ContactChangeRequest, actor: User) -> ContactChangeRequest:
    request = (
        ContactChangeRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "customer__owner", "filed_by")
        .get(pk=request.pk)
    )
    if not customer_visible_to(actor).filter(pk=request.customer_id).exists():
        raise PermissionDenied(_("This customer is not in your department."))
    return request


def _guard(request: ContactChangeRequest, actor: User, step: Step) -> None:
    if not step.allowed(actor):
        raise PermissionDenied(str(step.not_allowed))
    if request.status == ChangeStatus.REJECTED:
        raise DomainError(_("This request was rejected; it can no longer be approved or recorded."))
    if request.status != step.from_status:
        if request.status in STATUS_ORDER and STATUS_ORDER.index(request.status) < STATUS_ORDER.index(step.from_status):
            raise DomainError(str(step.too_early))
        raise DomainError(_("This step has already been taken."))
    if request.filed_by_id == actor.pk:
        raise DomainError(_("Nobody approves or records their own request."))


def contact_change_approve_manager(*, actor: User, request: ContactChangeRequest) -> ContactChangeRequest:
    """The sales manager's approval, first of two (CUS-05). The contacts do not change yet."""
    with transaction.atomic():
        request = _load(request, actor)
        _guard(request, actor, STEPS["manager"])
        request.status, request.manager, request.manager_at = ChangeStatus.MANAGER_APPROVED, actor, timezone.now()
        request.save(update_fields=["status", "manager", "manager_at"])
        _notify_all(
            department_members(request.customer, Role.SALES_DIRECTOR),
            request=request,
            step="manager",
            title=gettext_lazy("Approve a contact change for %(customer)s"),
            body=gettext_lazy("%(manager)s approved %(rep)s's change to the fee-receiving contacts (附表5)."),
            params={
                "customer": request.customer.name,
                "manager": actor.display_name,
                "rep": request.filed_by.display_name,
            },
        )
    return request


def _apply(request: ContactChangeRequest) -> None:
    """Apply the lines to the contacts, re-checked against the contacts as they are now."""
    receiving = _receiving_contacts(request.customer, lock=True)
    items = list(request.items.all())
    for item in items:
        if item.action != ContactChangeAction.ADD and item.contact_id not in receiving:
            raise DomainError(
                _("%(name)s no longer receives fees; the request cannot be applied. Reject it and file a new one.")
                % {"name": item.name}
            )
    shares = {pk: contact.fee_share for pk, contact in receiving.items()}
    for item in items:
        if item.action == ContactChangeAction.ADD:
            shares[f"new-{item.pk}"] = item.new_share
        elif item.action == ContactChangeAction.REMOVE:
            shares.pop(item.contact_id, None)
        else:
            shares[item.contact_id] = item.new_share
    try:
        _check_total(shares)
    except DomainError as error:
        raise DomainError(
            _("The contacts changed since the request was filed. %(problem)s") % {"problem": error.message}
        ) from None
    for item in items:
        if item.action == ContactChangeAction.ADD:
            item.contact = Contact.objects.create(
                customer=request.customer, name=item.name, role=item.role or ContactRole.OTHER, phone=item.phone,
                receives_fee=True, fee_share=item.new_share,
            )  # fmt: skip
            item.save(update_fields=["contact"])
        elif item.action == ContactChangeAction.REMOVE:
            contact = receiving[item.contact_id]
            contact.receives_fee, contact.fee_share, contact.active = False, Decimal("0.00"), False
            contact.save(update_fields=["receives_fee", "fee_share", "active"])
        else:
            contact = receiving[item.contact_id]
            contact.fee_share = item.new_share
            contact.save(update_fields=["fee_share"])
    customer_refresh_search_text(customer_ids=[request.customer_id])


def contact_change_approve_director(*, actor: User, request: ContactChangeRequest) -> ContactChangeRequest:
    """The sales director's approval, second of two (CUS-05): the change takes effect now,
    inside the same transaction, re-checking the 100 % rule against the current contacts."""
    with transaction.atomic():
        request = _load(request, actor)
        _guard(request, actor, STEPS["director"])
        if request.manager_id == actor.pk:
            raise DomainError(_("The director's approval must come from someone other than the approving manager."))
        _apply(request)
        request.status, request.director, request.director_at = ChangeStatus.APPROVED, actor, timezone.now()
        request.save(update_fields=["status", "director", "director_at"])
        params = {"customer": request.customer.name, "director": actor.display_name}
        _notify_all(
            department_members(request.customer, Role.SALES_CLERK),
            request=request,
            step="director",
            title=gettext_lazy("Record a contact change for %(customer)s"),
            body=gettext_lazy("%(director)s approved a change to the fee-receiving contacts (附表5); record it."),
            params=params,
        )
        _notify_all(
            [request.filed_by],
            request=request,
            step="approved",
            title=gettext_lazy("Your contact change for %(customer)s is approved"),
            body=gettext_lazy("%(director)s approved it; the new fee shares apply from now on."),
            params=params,
        )
    return request


def contact_change_record(*, actor: User, request: ContactChangeRequest) -> ContactChangeRequest:
    """The sales clerk files the approved request (备案) as the basis for fee calculations."""
    with transaction.atomic():
        request = _load(request, actor)
        _guard(request, actor, STEPS["clerk"])
        request.status, request.clerk, request.clerk_at = ChangeStatus.RECORDED, actor, timezone.now()
        request.save(update_fields=["status", "clerk", "clerk_at"])
    return request


def can_reject(actor: User, request: ContactChangeRequest) -> bool:
    """The approver whose turn it is may reject instead; never the filer."""
    step = next_step(request)
    return (
        step is not None
        and step.name in ("manager", "director")
        and step.allowed(actor)
        and request.filed_by_id != actor.pk
    )


def contact_change_reject(*, actor: User, request: ContactChangeRequest, reason: str) -> ContactChangeRequest:
    """The manager or the director refuses the request (CUS-05): nothing changes, ever."""
    if not (reason or "").strip():
        raise DomainError(_("Say why the request is rejected."), field="reason")
    with transaction.atomic():
        request = _load(request, actor)
        step = next_step(request)
        if step is None or step.name == "clerk":
            raise DomainError(_("This request has already been decided."))
        _guard(request, actor, step)
        request.status, request.rejected_by, request.rejected_at = ChangeStatus.REJECTED, actor, timezone.now()
        request.rejection_reason = reason.strip()
        request.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
        _notify_all(
            [request.filed_by],
            request=request,
            step="rejected",
            title=gettext_lazy("Your contact change for %(customer)s was rejected"),
            body=gettext_lazy("%(actor)s rejected it: %(reason)s"),
            params={"customer": request.customer.name, "actor": actor.display_name, "reason": request.rejection_reason},
        )
    return request
