from ..models import Contact


def context(customer, user) -> dict:
    contacts = list(Contact.objects.filter(customer=customer, active=True))
    total = sum((c.fee_share for c in contacts if c.receives_fee), start=0)
    return {"contacts": contacts, "fee_share_total": total}
