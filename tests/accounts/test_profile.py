from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from tests.factories import UserFactory
from tests.images import bomb_upload, media_files, png_upload

pytestmark = pytest.mark.django_db


def test_dashboard_needs_sign_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_saves_name_timezone_and_a_square_avatar(
    auth_client, user, django_capture_on_commit_callbacks
):
    response = auth_client.post(
        "/profile/",
        {"display_name": "  Pixel Pilot ", "timezone": "America/New_York", "avatar": png_upload()},
        follow=True,
    )

    assert response.status_code == 200
    assert b"Profile saved." in response.content
    user.refresh_from_db()
    assert user.display_name == "Pixel Pilot"
    assert user.timezone == "America/New_York"
    with Image.open(user.avatar.path) as avatar:
        assert avatar.size == (256, 256)
        assert avatar.format == "WEBP"
    # Stored under a name we chose, not the uploaded one.
    assert "face" not in user.avatar.name


def test_a_new_avatar_replaces_the_old_file(auth_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/profile/", {"display_name": "A", "timezone": "UTC", "avatar": png_upload()})
    user.refresh_from_db()
    first = user.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(
            "/profile/", {"display_name": "A", "timezone": "UTC", "avatar": png_upload(color="red")}
        )
    user.refresh_from_db()

    assert user.avatar.name != first
    assert first not in media_files()
    assert user.avatar.name in media_files()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("avatar.png", b"definitely not an image", content_type="image/png"),
            b"not a readable image",
        ),
        (
            SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
            ),
            b"SVG files are not accepted",
        ),
        (bomb_upload(), b"megapixels"),
    ],
    ids=["garbage", "svg", "decompression-bomb"],
)
def test_a_bad_avatar_gets_a_clear_error_and_changes_nothing(auth_client, user, upload, message):
    before = media_files()

    response = auth_client.post("/profile/", {"display_name": "Changed", "timezone": "UTC", "avatar": upload})

    assert response.status_code == 400
    assert message in response.content
    user.refresh_from_db()
    assert user.display_name != "Changed"
    assert not user.avatar
    assert media_files() == before


def test_unknown_timezone_is_refused(auth_client, user):
    response = auth_client.post("/profile/", {"display_name": "X", "timezone": "Mars/Olympus"})

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_account_deletion_removes_the_user_and_their_files(
    auth_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/profile/", {"display_name": "A", "timezone": "UTC", "avatar": png_upload()})
    user.refresh_from_db()
    avatar = user.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/profile/delete/", {"confirm": "delete my account"}, follow=True)

    assert response.status_code == 200
    assert b"has been deleted" in response.content
    assert not User.objects.filter(pk=user.pk).exists()
    assert avatar not in media_files()
    assert auth_client.get("/dashboard/").status_code == 302


def test_account_deletion_needs_the_confirmation_phrase(auth_client, user):
    response = auth_client.post("/profile/delete/", {"confirm": "yes"})

    assert response.status_code == 200
    assert b"exactly to confirm" in response.content
    assert User.objects.filter(pk=user.pk).exists()


def test_dashboard_asks_unverified_creators_to_verify(client):
    unverified = UserFactory(verified_email=False)
    client.force_login(unverified)

    assert b"Verify your email address" in client.get("/dashboard/").content


def test_dashboard_does_not_nag_verified_creators(auth_client):
    assert b"Verify your email address" not in auth_client.get("/dashboard/").content
