"""Tenants and requests built through the services, as the desk makes them, and small valid
files of each kind the uploads accept or refuse."""

import itertools
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.services.requests import request_log
from tenants.services.tenants import tenant_create

_units = itertools.count(1)

# The first bytes of each format, enough for the content check (crm_project/core/uploads.py).
MP3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 200
WAV_BYTES = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 200
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 200
PDF_BYTES = b"%PDF-1.4\n" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def mp3(name: str = "call.mp3") -> SimpleUploadedFile:
    return upload(name, MP3_BYTES, "audio/mpeg")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return upload(name, PNG_BYTES, "image/png")


def TenantFactory(*, actor, **values):
    number = next(_units)
    defaults = {
        "shop_name": f"测试店铺{number}",
        "unit": f"1F-{100 + number}",
        "floor": "1F",
        "business_type": "餐饮",
        "lease_start": date(2025, 1, 1),
        "lease_end": date(2028, 12, 31),
        "contacts": [{"name": f"店长{number}", "phone": f"1380000{number:04d}", "role": "店长"}],
    }
    return tenant_create(actor=actor, **{**defaults, **values})


def RequestFactory(*, actor, tenant, category="repair", description="空调不制冷", **values):
    return request_log(actor=actor, tenant=tenant, category=category, description=description, **values)
