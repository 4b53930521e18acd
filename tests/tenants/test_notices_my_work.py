"""TEN-06, DSH-02: "My work" lists the notices waiting for the reader's step."""

import pytest
from django.urls import reverse

from tenants.my_work_notices import waiting_for

from .notice_fixtures import *  # noqa: F403
from .notice_fixtures import draft, walk

pytestmark = pytest.mark.django_db


def test_each_step_shows_for_whoever_takes_it(client_for, desk, engineer, engineering, gm, rep, notice_tenants):
    """TEN-06, DSH-02: the head sees the draft, management the seal approval, the desk the seal."""
    notice = draft(desk, engineering, notice_tenants)
    assert list(waiting_for(engineer)) == [notice] and not waiting_for(desk).exists()
    notice = walk(notice, to="approved", head=engineer, gm=gm, desk=desk)
    assert list(waiting_for(gm)) == [notice] and not waiting_for(engineer).exists()
    notice = walk(notice, to="seal_approved", head=engineer, gm=gm, desk=desk)
    assert list(waiting_for(desk)) == [notice] and not waiting_for(gm).exists()
    assert not waiting_for(rep).exists()
    page = client_for(desk).get(reverse("core:my_work"))
    assert page.status_code == 200 and notice.title in page.content.decode()
