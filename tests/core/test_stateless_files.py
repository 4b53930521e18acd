"""Files shared by every machine (issue 16, stateless web): a large import uploaded on one web
process is checked and imported by a Celery worker in another process, and a background export
written by that worker is downloaded from the web process — each through Django's storage API,
on a storage without local paths (as S3 is), and with the two processes' MEDIA_ROOTs different
and left empty (CUS-12, CUS-07, JOB-09)."""

import io

import pytest
from openpyxl import load_workbook

from crm_project.core.models import ExportJob, ExportStatus
from customers.models import Customer, ImportBatch, ImportStatus
from tests.core.another_process import pathless_storages, start_worker, stop, wait_until
from tests.customers.factories import CustomerFactory
from tests.customers.workbooks import upload_file, workbook_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def machines(settings, tmp_path, own_redis):
    """The bucket both machines use, each machine's own disk, and the worker machine's worker
    (the `bulk` queue of imports and exports) on the same broker as this web process."""
    bucket, web_disk, worker_disk = (tmp_path / name for name in ("bucket", "web-disk", "worker-disk"))
    for folder in (bucket, web_disk, worker_disk):
        folder.mkdir()
    settings.MEDIA_ROOT = str(web_disk)
    pathless_storages(settings, bucket)
    worker = start_worker(
        queues="bulk", pathless_storage=bucket, MEDIA_ROOT=str(worker_disk),
        REDIS_URL=own_redis.url, CELERY_BROKER_URL=own_redis.url,
    )  # fmt: skip
    yield bucket, web_disk, worker_disk, worker
    stop(worker)


def _files_in(folder) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def _status(model, pk, wanted):
    def reached():
        return model.objects.filter(pk=pk, status__in=wanted).first()

    return reached


def test_a_large_import_uploaded_here_is_checked_and_imported_by_a_worker_on_another_machine(
    machines, client_for, rep, settings
):
    """CUS-12, JOB-09: the worker reads the upload through the storage, never a path."""
    bucket, web_disk, worker_disk, worker = machines
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    data = workbook_bytes(["code", "name"], [["K1", "客户甲"], ["K2", "客户乙"], ["K3", "客户丙"]])
    client = client_for(rep)
    client.post("/customers/imports/new/", {"kind": "customers", "file": upload_file(data, "名单.xlsx")})
    batch = ImportBatch.objects.get()
    assert batch.in_background

    checked = wait_until(_status(ImportBatch, batch.pk, [ImportStatus.CHECKED, ImportStatus.FAILED]), process=worker)
    assert (checked.status, checked.good_rows, checked.failure) == (ImportStatus.CHECKED, 3, "")
    client.post(f"/customers/imports/{batch.pk}/confirm/")
    done = wait_until(_status(ImportBatch, batch.pk, [ImportStatus.DONE, ImportStatus.FAILED]), process=worker)
    assert (done.status, done.created_count) == (ImportStatus.DONE, 3)
    assert set(Customer.objects.filter(owner=rep).values_list("code", flat=True)) == {"K1", "K2", "K3"}

    download = client.get(f"/customers/imports/{batch.pk}/file/")
    assert b"".join(download.streaming_content) == data
    assert _files_in(bucket) == [done.file.name]
    assert _files_in(web_disk) == _files_in(worker_disk) == []


def test_a_background_export_written_by_a_worker_elsewhere_is_downloaded_here(machines, client_for, rep, settings):
    """CUS-07: the worker saves the file through the storage; this process streams it from there,
    also with FILE_DELIVERY="nginx" (no local path to hand nginx)."""
    bucket, web_disk, worker_disk, worker = machines
    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.FILE_DELIVERY = "nginx"
    names = {CustomerFactory(owner=rep, name=f"客户{index}").name for index in range(3)}
    client = client_for(rep)
    assert client.get("/customers/", {"export": "xlsx"}).status_code == 302
    job = wait_until(_status(ExportJob, ExportJob.objects.get().pk, [ExportStatus.DONE, ExportStatus.FAILED]),
                     process=worker)  # fmt: skip
    assert (job.status, job.failure) == (ExportStatus.DONE, "")

    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200 and "X-Accel-Redirect" not in download
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("名称") if "名称" in header else header.index("Name")
    assert {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)} == names
    assert _files_in(bucket) == [job.file.name]
    assert _files_in(web_disk) == _files_in(worker_disk) == []
