"""TEN-08, JOB-09: two workers on one bulk notice never e-mail a tenant twice — a delivery row
another worker holds is skipped (SKIP LOCKED), and one it delivered is not sent again."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from tenants.models import BulkNoticeDelivery
from tenants.services import bulk
from tenants.services.bulk import bulk_notice_deliver, bulk_notice_send

from .factories import TenantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_row_held_by_another_worker_is_skipped_then_sent_once(desk, monkeypatch):
    """TEN-08, JOB-09: worker 2 holds the first tenant's row; worker 1 sends the others, then the
    held row once it is delivered by worker 2 is never sent by worker 1's next run."""
    for number in range(3):
        TenantFactory(
            actor=desk, contacts=[{"name": f"店长{number}", "email": f"s{number}@shop.test", "is_primary": True}]
        )
    # Outside a test transaction the on-commit job would run at once: the workers here run it.
    monkeypatch.setattr(bulk, "enqueue_on_commit", lambda *args, **kwargs: None)
    notice = bulk_notice_send(actor=desk, kind="typhoon", title="台风", message="关好门窗")
    held = BulkNoticeDelivery.objects.filter(notice=notice).order_by("pk").first()
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                row = BulkNoticeDelivery.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
                # Worker 2 delivers it (as bulk_notice_deliver would) before it lets go.
                row.delivered_at = row.notice.sent_at
                row.save(update_fields=["delivered_at"])
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert locked.wait(10)
    try:
        assert bulk_notice_deliver(notice_id=notice.pk) == 2
    finally:
        release.set()
        thread.join(10)
    assert bulk_notice_deliver(notice_id=notice.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["s1@shop.test", "s2@shop.test"]
    assert BulkNoticeDelivery.objects.filter(notice=notice, delivered_at__isnull=False).count() == 3
