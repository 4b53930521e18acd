"""JOB-06, JOB-07, JOB-09: the escalation and purge jobs, each run twice, with no duplicate."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crm_project.notifications.models import Notification
from tenants import tasks
from tenants.models import Recording, RecordingPurge, RequestEscalation
from tenants.services.recordings import recording_archive, recording_upload
from tenants.services.requests import request_confirm, request_resolve, request_respond

from .factories import RequestFactory, mp3

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LOGGED = datetime(2026, 3, 16, 23, 50, tzinfo=SHANGHAI)


def _escalations(recipient) -> int:
    return Notification.objects.filter(recipient=recipient, kind="tenant-escalation").count()


def test_a_breach_escalates_once_to_the_department_head_and_the_operations_manager(
    desk, tenant, engineer, ops_manager, django_capture_on_commit_callbacks
):
    """TEN-03, JOB-06, JOB-09: an emergency not answered in 15 minutes; the job runs twice."""
    with time_machine.travel(LOGGED, tick=False):
        RequestFactory(actor=desk, tenant=tenant, category="emergency")
    with (
        time_machine.travel(LOGGED + timedelta(minutes=16), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.escalate_breaches() == 1
        assert tasks.escalate_breaches() == 0
    assert _escalations(engineer) == 1 and _escalations(ops_manager) == 1
    assert RequestEscalation.objects.count() == 1


def test_a_met_target_never_escalates_and_a_reopened_request_escalates_again(
    desk, tenant, engineer, ops_manager, django_capture_on_commit_callbacks
):
    """TEN-02, TEN-03, JOB-06: answered in time → no escalation; resolved, then reopened past the
    resolution target → escalated once in its new round."""
    with time_machine.travel(LOGGED, tick=False):
        request = RequestFactory(actor=desk, tenant=tenant, category="emergency")
    with time_machine.travel(LOGGED + timedelta(minutes=10), tick=False):
        request = request_respond(actor=engineer, request=request, note="马上到")
        request = request_resolve(actor=engineer, request=request, resolution="已修好")
    with time_machine.travel(LOGGED + timedelta(hours=5), tick=False):
        assert tasks.escalate_breaches() == 0
        request_confirm(actor=desk, request=request, satisfied=False, note="仍在漏水")
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.escalate_breaches() == 1
            assert tasks.escalate_breaches() == 0
    assert list(RequestEscalation.objects.values_list("target", "round")) == [("resolution", 1)]


def test_the_purge_deletes_expired_recordings_once_and_keeps_the_archive(desk, tenant, settings):
    """TEN-04, JOB-07, JOB-09: past 30 days the file is deleted and logged, once; a recording in the
    recording archive survives every purge."""
    with time_machine.travel(LOGGED, tick=False):
        request = RequestFactory(actor=desk, tenant=tenant, category="emergency")
        expired = recording_upload(actor=desk, request=request, file=mp3("old.mp3"))
        kept = recording_upload(actor=desk, request=request, file=mp3("kept.mp3"))
        recording_archive(actor=desk, recording=kept, reason="紧急事件超时未解决")
    stored = Path(settings.MEDIA_ROOT) / expired.file.name
    assert stored.exists()
    with time_machine.travel(LOGGED + timedelta(days=29), tick=False):
        assert tasks.purge_recordings() == 0
    with time_machine.travel(LOGGED + timedelta(days=31), tick=False):
        assert tasks.purge_recordings() == 1
        assert tasks.purge_recordings() == 0
    assert not stored.exists()
    log = RecordingPurge.objects.get()
    assert log.recording_id == expired.pk and log.file_name == "old.mp3" and "30" in log.reason
    kept.refresh_from_db()
    assert kept.file and kept.purged_at is None and (Path(settings.MEDIA_ROOT) / kept.file.name).exists()
    assert Recording.objects.get(pk=expired.pk).purged_at is not None
    assert kept.history.first().archive_reason == "紧急事件超时未解决"
