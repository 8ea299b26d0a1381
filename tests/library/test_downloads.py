"""Single-file downloads and shared images on local media: who may fetch what, and the headers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aurastream.api.tokens import BoundRefreshToken
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from library import services as library
from library.models import Asset
from tests.factories import PlanGrantFactory

pytestmark = pytest.mark.django_db

EMOTE = JobRequest(spec_key="twitch.emote", prompt="purple cat", text="GG")


@pytest.fixture
def emote(user, django_capture_on_commit_callbacks) -> Asset:
    PlanGrantFactory(user=user, plan="studio")
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = generation.job_create(user=user, request=EMOTE)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    return Asset.objects.get(source_job_id=job.pk)


def file_url(asset: Asset, label: str = "112") -> str:
    return reverse("library:rendition_download", args=[asset.pk, label])


def stored_bytes(asset: Asset, label: str) -> bytes:
    with asset.renditions.get(label=label).file.open("rb") as stored:
        return stored.read()


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {BoundRefreshToken.for_user(user).access_token}"}


def test_a_download_is_named_for_the_platform_with_safe_headers(auth_client, emote):
    response = auth_client.get(file_url(emote, "56"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="twitch-emote-gg-56x56.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content) == stored_bytes(emote, "56")


def test_a_preview_is_shown_inline(auth_client, emote):
    response = auth_client.get(file_url(emote) + "?inline=1")

    assert response["Content-Disposition"] == 'inline; filename="twitch-emote-gg-112x112.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_api_client_downloads_with_its_bearer_token(user, emote):
    api = Client(enforce_csrf_checks=True)

    single = api.get(file_url(emote), headers=bearer(user))
    assert single.status_code == 200
    assert b"".join(single.streaming_content) == stored_bytes(emote, "112")
    assert api.get(reverse("library:asset_zip", args=[emote.pk]), headers=bearer(user)).status_code == 200
    pack = reverse("library:pack_zip", args=[emote.source_job_id])
    assert api.get(pack, headers=bearer(user)).status_code == 200
    # No CSRF token: a bearer token is not something a cross-site form can send.
    selection = api.post(
        reverse("library:bulk_zip"),
        {"assets": [str(emote.pk)]},
        content_type="application/json",
        headers=bearer(user),
    )
    assert selection.status_code == 200
    assert selection["Content-Type"] == "application/zip"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_bearer_token_is_a_401_in_the_api_shape(emote, method):
    url = file_url(emote) if method == "get" else reverse("library:bulk_zip")

    response = getattr(Client(), method)(url, headers={"Authorization": "Bearer nonsense"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_signed_out_browser_is_sent_to_log_in(client, emote):
    response = client.get(reverse("library:asset_zip", args=[emote.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_another_creators_files_are_a_404(other_user, emote):
    stranger = Client()
    stranger.force_login(other_user)

    for url in (
        file_url(emote),
        reverse("library:asset_zip", args=[emote.pk]),
        reverse("library:pack_zip", args=[emote.source_job_id]),
    ):
        assert stranger.get(url).status_code == 404, url
        assert Client().get(url, headers=bearer(other_user)).status_code == 404, url
    assert stranger.post(reverse("library:bulk_zip"), {"assets": [str(emote.pk)]}).status_code == 404


def test_deleted_assets_are_a_404(auth_client, user, emote):
    library.assets_delete(user=user, asset_ids=[emote.pk])

    assert auth_client.get(file_url(emote)).status_code == 404
    assert auth_client.get(reverse("library:asset_zip", args=[emote.pk])).status_code == 404
    assert auth_client.get(reverse("library:pack_zip", args=[emote.source_job_id])).status_code == 404
    assert auth_client.post(reverse("library:bulk_zip"), {"assets": [str(emote.pk)]}).status_code == 404


def test_an_unknown_size_and_the_wrong_method_are_refused(auth_client, emote):
    assert auth_client.get(file_url(emote, "999")).status_code == 404
    assert auth_client.post(reverse("library:asset_zip", args=[emote.pk])).status_code == 405
    assert auth_client.get(reverse("library:bulk_zip")).status_code == 405


# --- Shared assets -------------------------------------------------------------------------


def shared_url(token: str, label: str = "112") -> str:
    return reverse("library:shared_file", args=[token, label])


def test_a_shared_assets_file_is_public_inline_and_cacheable(client, emote):
    token = library.asset_share(asset=emote).share_token

    response = client.get(shared_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="twitch-emote-gg-112x112.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600, s-maxage=300"
    assert b"".join(response.streaming_content) == stored_bytes(emote, "112")
    assert client.get(shared_url(token, "999")).status_code == 404


def test_a_revoked_or_rotated_link_is_a_404(client, emote):
    first = library.asset_share(asset=emote).share_token
    second = library.asset_share_rotate(asset=emote).share_token

    assert client.get(shared_url(first)).status_code == 404
    assert client.get(shared_url(second)).status_code == 200

    library.asset_unshare(asset=emote)
    assert client.get(shared_url(second)).status_code == 404


def test_taken_down_deleted_and_private_assets_share_nothing(client, user, emote):
    token = library.asset_share(asset=emote).share_token
    library.assets_delete(user=user, asset_ids=[emote.pk])
    assert client.get(shared_url(token)).status_code == 404

    library.assets_restore(user=user, asset_ids=[emote.pk])
    assert client.get(shared_url(token)).status_code == 200
    library.asset_takedown(asset=emote)
    assert client.get(shared_url(token)).status_code == 404
    assert client.get(shared_url("not-a-token")).status_code == 404
