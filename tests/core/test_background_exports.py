"""Large exports in the background (CUS-07, DSH-03, JOB-09): above EXPORT_BACKGROUND_ROWS a
list's export is written by a worker from the very queryset the page shows its user, with a
progress bar, a notification and a download only that user can open; the export is logged."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from crm_project.core.background_exports import export_run, export_sweep
from crm_project.core.models import ExportJob, ExportLog, ExportStatus
from crm_project.notifications.models import Notification
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_ROWS = 3


def _names(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("名称") if "名称" in header else header.index("Name")
    return {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_a_large_export_runs_in_the_background_with_the_lists_rows_only(
    client_for, rep, other_rep, small_threshold, django_capture_on_commit_callbacks
):
    """CUS-07, ORG-02: the file holds the rows the list shows its user, filter included —
    not another rep's customers, not the grades filtered out."""
    mine = [CustomerFactory(owner=rep, name=f"我的客户{index}", grade="A") for index in range(5)]
    CustomerFactory(owner=rep, name="别的等级", grade="D")
    CustomerFactory(owner=other_rep, name="同事的客户", grade="A")
    client = client_for(rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/customers/", {"grade": "A", "export": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows, job.query) == (ExportStatus.DONE, 5, 5, "grade=A")
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'id="export-download"' in page
    assert _names(client.get(f"/exports/{job.pk}/download/")) == {customer.name for customer in mine}
    log = ExportLog.objects.get()
    assert (log.user, log.name, log.row_count, log.query) == (rep, "customers", 5, "grade=A")
    notification = Notification.objects.get(recipient=rep, key=f"export-done-{job.pk}")
    assert notification.url == f"/exports/{job.pk}/"


def test_a_small_export_is_still_a_direct_download(client_for, rep, small_threshold):
    """DSH-03: up to the threshold nothing changes."""
    for index in range(3):
        CustomerFactory(owner=rep, name=f"客户{index}")
    response = client_for(rep).get("/customers/", {"export": "xlsx"})
    assert response.status_code == 200 and not ExportJob.objects.exists()
    assert len(_names(response)) == 3


def test_only_the_user_who_asked_sees_the_export_or_downloads_it(
    client_for, rep, other_rep, manager, small_threshold, django_capture_on_commit_callbacks
):
    """CUS-07, ORG-02: the download is access-checked; another user gets 404, even their manager."""
    for index in range(5):
        CustomerFactory(owner=rep, name=f"客户{index}")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(rep).get("/customers/", {"export": "xlsx"})
    job = ExportJob.objects.get()
    for someone in (other_rep, manager):
        client = client_for(someone)
        for url in (f"/exports/{job.pk}/", f"/exports/{job.pk}/progress/", f"/exports/{job.pk}/download/"):
            assert client.get(url).status_code == 404, (someone, url)


def test_the_progress_bar_shows_a_running_export_and_polls_until_done(client_for, rep, small_threshold):
    """DSH-03: while it runs the page polls the bar; a second worker leaves a taken job alone (JOB-09)."""
    for index in range(5):
        CustomerFactory(owner=rep, name=f"客户{index}")
    client = client_for(rep)
    response = client.get("/customers/", {"export": "xlsx"})  # not committed here: the job waits
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportStatus.QUEUED
    bar = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert ("hx-trigger" in bar and "Waiting for a worker" in bar) or "等待" in bar
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, total_rows=5, processed_rows=2)
    assert 'aria-valuenow="2"' in client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert export_run(job_id=job.pk).status == ExportStatus.RUNNING  # taken by another worker: untouched
    assert not ExportLog.objects.exists()


def test_an_export_that_fails_says_so_and_tells_its_user_once(
    client_for, rep, small_threshold, django_capture_on_commit_callbacks, monkeypatch
):
    """JOB-09: a failing export is marked failed with its reason, notified once, nothing logged."""
    for index in range(5):
        CustomerFactory(owner=rep, name=f"客户{index}")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("crm_project.core.background_exports.write_xlsx", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(rep).get("/customers/", {"export": "xlsx"})
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and "disk full" in job.failure
    assert 'id="export-failed"' in client_for(rep).get(f"/exports/{job.pk}/").content.decode()
    assert Notification.objects.filter(recipient=rep, key=f"export-failed-{job.pk}").count() == 1
    assert not ExportLog.objects.exists()


def test_old_export_files_are_swept_and_their_page_says_so(
    client_for, rep, small_threshold, django_capture_on_commit_callbacks
):
    """DSH-03: files are kept EXPORT_KEEP_DAYS; the record stays, the page says the file is gone."""
    for index in range(5):
        CustomerFactory(owner=rep, name=f"客户{index}")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(rep).get("/customers/", {"export": "xlsx"})
    job = ExportJob.objects.get()
    assert export_sweep() == 0
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert export_sweep() == 1
    client = client_for(rep)
    assert 'id="export-expired"' in client.get(f"/exports/{job.pk}/").content.decode()
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
