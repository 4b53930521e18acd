"""TEN-04, ORG-02: recordings and photos handed out inline, only through their request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tenants.services.recordings import recording_upload, recordings_purge
from tenants.services.requests import request_add_photo

from .factories import RequestFactory, mp3, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def repair(desk, tenant):
    return RequestFactory(actor=desk, tenant=tenant, category="repair")


def test_recording_plays_inline_for_desk_and_engineer(client_for, desk, engineer, repair):
    recording = recording_upload(actor=desk, request=repair, file=mp3())
    for user in (desk, engineer):
        response = client_for(user).get(reverse("tenants:recording_file", args=[recording.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "audio/mpeg"
        assert not response["Content-Disposition"].startswith("attachment")


def test_photo_shows_inline(client_for, desk, repair):
    photo = request_add_photo(actor=desk, request=repair, file=png())
    response = client_for(desk).get(reverse("tenants:photo_file", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


@pytest.mark.parametrize("who", ["rep", "buyer", "safety_staff"])
def test_outsiders_get_404(client_for, request, desk, repair, who):
    recording = recording_upload(actor=desk, request=repair, file=mp3())
    photo = request_add_photo(actor=desk, request=repair, file=png())
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("tenants:recording_file", args=[recording.pk])).status_code == 404
    assert client.get(reverse("tenants:photo_file", args=[photo.pk])).status_code == 404


def test_purged_recording_is_404(client_for, desk, repair):
    recording = recording_upload(actor=desk, request=repair, file=mp3())
    recordings_purge(now=timezone.now() + timedelta(days=400))
    assert client_for(desk).get(reverse("tenants:recording_file", args=[recording.pk])).status_code == 404
