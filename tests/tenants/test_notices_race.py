"""TEN-06: two connections racing on the same step or the same link: exactly one wins."""

import threading

import pytest
from django.db import connection

from crm_project.core.errors import DomainError
from tenants.models import Notice, NoticeAddressee
from tenants.services.notices import notice_link_reissue, notice_receipt_paper, notice_seal, notice_sign_by_link

from .factories import png
from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import draft, walk

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*attempts):
    barrier = threading.Barrier(len(attempts))
    results = []

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            results.append("won")
        except DomainError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_seals_at_once_give_one(desk, ops_manager, engineer, engineering, gm, notice_tenants):
    """TEN-06: the desk and the operations manager record the seal at the same moment."""
    notice = walk(draft(desk, engineering, notice_tenants), to="seal_approved", head=engineer, gm=gm, desk=desk)
    results = _race(
        lambda: notice_seal(actor=desk, notice=notice), lambda: notice_seal(actor=ops_manager, notice=notice)
    )
    assert results.count("won") == 1, results
    assert Notice.objects.get(pk=notice.pk).history.filter(status="sealed").count() == 1


def test_the_link_and_the_paper_at_once_sign_once(desk, engineer, engineering, gm, notice_tenants):
    """TEN-06: the tenant presses the link while the desk uploads its paper receipt: one record."""
    notice = walk(draft(desk, engineering, notice_tenants), to="delivered", head=engineer, gm=gm, desk=desk)
    addressee = notice.addressees.get(tenant=notice_tenants[0])
    token = notice_link_reissue(actor=desk, addressee=addressee).rstrip("/").rsplit("/", 1)[-1]
    results = _race(
        lambda: notice_sign_by_link(token=token, signer_name="王"),
        lambda: notice_receipt_paper(actor=desk, notice=notice, tenant=notice_tenants[0], scan=png()),
    )
    assert results.count("won") == 1, results
    assert NoticeAddressee.objects.filter(signed_at__isnull=False).count() == 1
