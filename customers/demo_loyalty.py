"""Demo loyalty points (CUS-13): the demo purchases are written directly, without ledger
entries; this posts the points they earn. Idempotent — purchases that already have entries
are left alone — and a fixed number of queries per thousand purchases."""

from django.db import transaction
from django.db.models import Exists, OuterRef

from .models import CustomerSettings, LoyaltyEntry, Purchase
from .services.loyalty import loyalty_post_for_purchases

CHUNK = 1000


@transaction.atomic
def seed(stdout=None) -> None:
    rate = CustomerSettings.load().points_per_yuan
    posted = LoyaltyEntry.objects.filter(purchase=OuterRef("pk"))
    pending = Purchase.objects.filter(~Exists(posted)).order_by("pk")
    entries = 0
    last_pk = 0
    while True:
        chunk = list(pending.filter(pk__gt=last_pk)[:CHUNK])
        if not chunk:
            break
        entries += len(loyalty_post_for_purchases(purchases=chunk, rate=rate))
        last_pk = chunk[-1].pk
    if stdout is not None:
        stdout.write(f"  {entries} loyalty ledger entries posted")
