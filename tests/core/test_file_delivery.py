"""Protected file delivery through nginx (issue 16): with FILE_DELIVERY="nginx" a download that
passed the access check answers empty with `X-Accel-Redirect: /protected-media/<stored name>` and
the download's own headers, and nginx sends the bytes from its `internal` location over
MEDIA_ROOT; whoever may not see the record still gets Django's 404, and a storage without local
paths is streamed by Django as before (ORG-02, CUS-07, EXP-13)."""

import datetime
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from decimal import Decimal
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from crm_project.core.files import stored_file_response
from customers.models import ImportBatch
from expenses.services.claims import claim_file
from tests.core.another_process import pathless_storages, run_elsewhere
from tests.customers.workbooks import upload_file, workbook_bytes
from tests.expenses.budgets import applicant, approved, entertainment_budget, sales_head  # noqa: F401

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_DELIVERY = "nginx"


def _imported(client, name="客户名单.xlsx") -> tuple[ImportBatch, bytes]:
    data = workbook_bytes(["code", "name"], [["K1", "客户甲"]])
    client.post("/customers/imports/new/", {"kind": "customers", "file": upload_file(data, name)})
    return ImportBatch.objects.latest("pk"), data


def _assert_handed_to_nginx(response, *, stored: str, content_type: str, disposition: str) -> None:
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{quote(stored)}"
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_import_is_handed_to_nginx_after_the_access_check(client_for, rep, other_rep, manager, outsider):
    """CUS-07, ORG-02: the uploader's download names the stored file for nginx, with the original
    name and the headers of Django's own answer; anyone else gets 404 and no redirect."""
    owner = client_for(rep)
    batch, _data = _imported(owner)
    url = f"/customers/imports/{batch.pk}/file/"
    _assert_handed_to_nginx(
        owner.get(url), stored=batch.file.name, content_type=XLSX,
        disposition=f"attachment; filename*=utf-8''{quote('客户名单.xlsx')}",
    )  # fmt: skip
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", batch.file.name)
    for user in (other_rep, manager, outsider):
        answer = client_for(user).get(url)
        assert answer.status_code == 404 and "X-Accel-Redirect" not in answer


@pytest.mark.django_db
def test_both_deliveries_answer_with_the_same_headers(client_for, rep, settings):
    owner = client_for(rep)
    batch, data = _imported(owner)
    url = f"/customers/imports/{batch.pk}/file/"
    by_nginx = owner.get(url)
    settings.FILE_DELIVERY = "django"
    by_django = owner.get(url)
    assert b"".join(by_django.streaming_content) == data and "X-Accel-Redirect" not in by_django
    for header in ("Content-Type", "Content-Disposition", "Cache-Control", "X-Content-Type-Options"):
        assert by_nginx[header] == by_django[header]


@pytest.mark.django_db
def test_an_older_file_with_spaces_and_chinese_in_its_name_is_url_quoted(client_for, rep):
    """Files stored before the random names keep theirs; nginx reads the quoted name back."""
    batch, data = _imported(client_for(rep))
    old_name = default_storage.save("imports/旧 名单 #1.xlsx", ContentFile(data))
    ImportBatch.objects.filter(pk=batch.pk).update(file=old_name)
    answer = client_for(rep).get(f"/customers/imports/{batch.pk}/file/")
    assert answer["X-Accel-Redirect"] == "/protected-media/imports/%E6%97%A7%20%E5%90%8D%E5%8D%95%20%231.xlsx"


@pytest.mark.django_db
def test_a_file_gone_from_the_disk_is_a_404_not_a_redirect_to_nothing(client_for, rep):
    batch, _data = _imported(client_for(rep))
    default_storage.delete(batch.file.name)
    answer = client_for(rep).get(f"/customers/imports/{batch.pk}/file/")
    assert answer.status_code == 404 and "X-Accel-Redirect" not in answer


@pytest.mark.django_db
def test_a_receipt_keeps_the_content_type_read_from_it(client_for, applicant, manager, outsider, entertainment_budget):  # noqa: F811
    """EXP-17, ORG-02: the claim's receipt goes through nginx too, after the claim's access check."""
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, 0), tick=False):
        claim = claim_file(
            actor=applicant, application=approved(applicant, by=manager), amount=Decimal("500.00"), explanation="",
            receipts=[SimpleUploadedFile("发票.png", PNG, content_type="image/png")],
        )  # fmt: skip
    receipt = claim.receipts.get()
    url = f"/fees/claims/{claim.pk}/receipts/{receipt.pk}/"
    _assert_handed_to_nginx(
        client_for(applicant).get(url), stored=receipt.file.name, content_type="image/png",
        disposition=f"attachment; filename*=utf-8''{quote(receipt.name)}",
    )  # fmt: skip
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_a_file_shown_in_the_page_is_inline(client_for, rep):
    """Recordings and photos play or show in the page (`inline_type`): inline, same delivery."""
    batch, _data = _imported(client_for(rep))
    answer = stored_file_response(batch.file, filename="录音.mp3", content_type="audio/mpeg", as_attachment=False)
    _assert_handed_to_nginx(
        answer, stored=batch.file.name, content_type="audio/mpeg",
        disposition=f"inline; filename*=utf-8''{quote('录音.mp3')}",
    )  # fmt: skip


@pytest.mark.django_db
def test_object_storage_has_no_local_path_so_django_streams_the_file(client_for, rep, settings, tmp_path):
    """With S3 and the like (no `path()`), the same download is streamed through Django."""
    pathless_storages(settings, tmp_path / "bucket")
    owner = client_for(rep)
    batch, data = _imported(owner)
    answer = owner.get(f"/customers/imports/{batch.pk}/file/")
    assert "X-Accel-Redirect" not in answer
    assert b"".join(answer.streaming_content) == data
    assert (answer["Cache-Control"], answer["X-Content-Type-Options"]) == ("no-store", "nosniff")


def test_the_delivery_is_read_from_the_environment_and_a_typo_stops_the_start_up():
    code = "from django.conf import settings; print(json.dumps(settings.FILE_DELIVERY))"
    assert run_elsewhere(code) == "django"
    assert run_elsewhere(code, FILE_DELIVERY="nginx") == "nginx"
    with pytest.raises(AssertionError, match="FILE_DELIVERY must be 'django' or 'nginx'"):
        run_elsewhere(code, FILE_DELIVERY="apache")


# --- the real nginx --------------------------------------------------------------------------

NGINX_CONF = """
daemon off;
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location /protected-media/ {{
            internal;
            alias {media_root}/;
            # nginx keeps Content-Type, Content-Disposition and Cache-Control of Django's answer,
            # not its other headers.
            add_header X-Content-Type-Options nosniff always;
        }}
        location / {{
            proxy_pass http://127.0.0.1:{upstream_port};
            proxy_set_header Host $host;
        }}
    }}
}}
"""


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    """Debian's nginx in front of the live server, its internal location over MEDIA_ROOT."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if binary is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    folder = tmp_path / "nginx"
    folder.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "nginx.conf").write_text(
        NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "",  # root's tmp_path is closed to nobody
            folder=folder, port=port, media_root=settings.MEDIA_ROOT, upstream_port=live_server.thread.port,
        )
    )  # fmt: skip
    process = subprocess.Popen([binary, "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")])
    deadline = time.monotonic() + 10
    while not _listening(port):
        assert process.poll() is None and time.monotonic() < deadline, (folder / "error.log").read_text()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _get(url: str, *, session: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"} if session else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (our own test server)
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.django_db(transaction=True)
def test_nginx_sends_the_bytes_only_to_whom_django_let_through(nginx, client_for, rep, outsider):
    """ORG-02, CUS-07: through nginx the uploader gets the file with Django's headers; an outsider
    gets Django's 404; nobody reaches the internal location by its address."""
    owner = client_for(rep)
    batch, data = _imported(owner)
    session = owner.cookies["sessionid"].value
    status, headers, body = _get(f"{nginx}/customers/imports/{batch.pk}/file/", session=session)
    assert (status, body) == (200, data)
    assert headers["Content-Type"] == XLSX
    assert headers["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('客户名单.xlsx')}"
    assert (headers["Cache-Control"], headers["X-Content-Type-Options"]) == ("no-store", "nosniff")
    assert "X-Accel-Redirect" not in headers

    outsider_session = client_for(outsider).cookies["sessionid"].value
    status, _headers, body = _get(f"{nginx}/customers/imports/{batch.pk}/file/", session=outsider_session)
    assert status == 404 and data not in body
    for who in (session, None):
        assert _get(f"{nginx}/protected-media/{batch.file.name}", session=who)[0] == 404
