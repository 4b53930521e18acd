"""The temporary storage log 临时物品寄存记录表 (TEN-09): an item left at the desk for a
tenant, where it is kept, and who took it when. An item is picked up once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm_project.core.errors import DomainError

from ..models import StorageItem, Tenant
from ..permissions import can_keep_archive
from ..selectors import tenant_visible_to
from .common import require, save
from .common import text_field as _text

ITEM_MAX = 200
LOCATION_MAX = 100
NAME_MAX = 100


def storage_receive(*, actor, tenant: Tenant, item: str, location: str) -> StorageItem:
    require(can_keep_archive(actor), _("Only the operations desk keeps the storage log."))
    if not tenant_visible_to(actor).filter(pk=tenant.pk).exists():
        raise DomainError(_("Unknown tenant."), field="tenant")
    stored = StorageItem(
        tenant=tenant,
        item=_text(item, field="item", label=_("the item"), limit=ITEM_MAX),
        location=_text(location, field="location", label=_("where it is kept"), limit=LOCATION_MAX),
        received_at=timezone.now(),
        received_by=actor,
    )
    stored._history_user = actor
    stored.save()
    return stored


def storage_pick_up(*, actor, item: StorageItem, picked_up_by: str) -> StorageItem:
    require(can_keep_archive(actor), _("Only the operations desk hands out stored items."))
    picked_up_by = _text(picked_up_by, field="picked_up_by", label=_("who picked it up"), limit=NAME_MAX)
    with transaction.atomic():
        item = StorageItem.objects.select_for_update().get(pk=item.pk)
        if item.picked_up_at:
            raise DomainError(
                _("This item was already picked up by %(name)s on %(when)s.")
                % {"name": item.picked_up_by, "when": timezone.localtime(item.picked_up_at).strftime("%Y-%m-%d %H:%M")}
            )
        item.picked_up_at, item.picked_up_by, item.handed_out_by = timezone.now(), picked_up_by, actor
        save(item, actor, ["picked_up_at", "picked_up_by", "handed_out_by"], _("Picked up"))
    return item
