"""CMP-01: the tenant service desk is one of the complaint channels. A request of category
complaint opens a complaint ticket with the tenant as complainant, linked both ways, so the
complaint follows the complaint flow, its standards and its report; the request shows the
ticket's state."""

from complaints.models import Channel as ComplaintChannel
from complaints.services.intake import complaint_log_from_desk

from ..models import TenantRequest
from .common import save


def request_open_complaint(*, actor, request: TenantRequest) -> None:
    if request.complaint_id:
        return
    contact = request.tenant.contacts.order_by("-is_primary", "pk").first()
    complaint = complaint_log_from_desk(
        actor=actor,
        channel=ComplaintChannel.TENANT_DESK,
        tenant=request.tenant,
        complainant_name=contact.name if contact else request.tenant.shop_name,
        complainant_contact=(contact.phone or contact.email) if contact else "",
        complainant_company=f"{request.unit} {request.tenant.shop_name}",
        text=request.description,
        received_at=request.logged_at,
        note=request.reference,
    )
    request.complaint = complaint
    save(request, actor, ["complaint"])
