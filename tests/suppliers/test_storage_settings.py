"""Uploaded files on S3-compatible object storage when configured (SUP-07)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _storage_with(env: dict) -> dict:
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "from django.core.files.storage import storages;"
        "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'],"
        " 'options': settings.STORAGES['default'].get('OPTIONS', {}), 'class': type(storages['default']).__name__}))"
    )
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("S3_")}
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "crm_project.settings", **env}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_default_storage_is_the_local_media_folder():
    """SUP-07: without a bucket, files stay in MEDIA_ROOT."""
    assert _storage_with({})["class"] == "FileSystemStorage"


def test_a_bucket_in_the_environment_puts_files_on_object_storage_privately():
    """SUP-07: django-storages' S3 backend, private and never overwritten."""
    storage = _storage_with(
        {"S3_BUCKET": "crm-files", "S3_ENDPOINT_URL": "https://oss.example.com", "S3_PREFIX": "crm"}
    )
    assert storage["class"] == "S3Storage"
    assert storage["options"]["bucket_name"] == "crm-files"
    assert storage["options"]["endpoint_url"] == "https://oss.example.com"
    assert (storage["options"]["default_acl"], storage["options"]["file_overwrite"]) == ("private", False)
