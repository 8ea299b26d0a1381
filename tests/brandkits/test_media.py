"""The creator's own images: checked like logos, prepared for compositing, capped per plan."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from brandkits.models import CreatorMedia
from brandkits.services import MediaLimitReached, media_upload
from tests.factories import PlanGrantFactory
from tests.images import bomb_upload, mascot_upload, photo_upload, svg_upload

pytestmark = pytest.mark.django_db


def stored(item: CreatorMedia) -> Image.Image:
    with item.image.open("rb") as file:
        image = Image.open(file)
        image.load()
    return image


def test_a_transparent_mascot_is_kept_as_a_trimmed_cut_out(user):
    item = media_upload(owner=user, upload=mascot_upload(), role="mascot")

    image = stored(item)
    assert item.kind == "cutout"
    assert item.name == "mascot"
    assert image.mode == "RGBA"
    assert np.asarray(image.getchannel("A"))[0, 0] == 0  # transparent corner
    assert image.width < 400  # trimmed to the disc (plus a small margin)


def test_a_sticker_on_flat_white_is_cut_out(user):
    item = media_upload(owner=user, upload=mascot_upload(transparent=False), role="mascot", name="Sticker")

    alpha = np.asarray(stored(item).getchannel("A"))
    assert item.kind == "cutout"
    assert alpha[0, 0] == 0
    assert alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255


def test_a_photo_is_kept_whole(user):
    item = media_upload(owner=user, upload=photo_upload(), role="face", name="Me")

    assert item.kind == "photo"
    assert (item.width, item.height) == (600, 400)


@pytest.mark.parametrize("upload", [svg_upload, bomb_upload], ids=["svg", "bomb"])
def test_unsafe_files_are_refused_and_nothing_is_kept(user, upload):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        media_upload(owner=user, upload=upload())

    assert refused.value.message_dict["image"]
    assert not CreatorMedia.objects.exists()


def test_the_free_plan_keeps_three_images_and_says_so(user, auth_client):
    for number in range(3):
        media_upload(owner=user, upload=mascot_upload(name=f"m{number}.png"))

    with pytest.raises(MediaLimitReached, match="Your Free plan keeps 3 of your own images"):
        media_upload(owner=user, upload=mascot_upload())
    page = auth_client.get("/brand/images/").content.decode()

    assert CreatorMedia.objects.count() == 3
    assert "Your Free plan keeps 3 of your own images, and you have 3." in page
    assert "Add image" not in page


def test_pro_keeps_more(user):
    PlanGrantFactory(user=user, plan="pro")
    for number in range(5):
        media_upload(owner=user, upload=mascot_upload(name=f"m{number}.png"))

    assert CreatorMedia.objects.count() == 5


def test_the_page_adds_lists_serves_and_deletes(auth_client, user):
    response = auth_client.post(
        "/brand/images/", {"image": photo_upload(), "role": "face", "name": "Me at the desk"}, follow=True
    )
    item = CreatorMedia.objects.get()
    image = auth_client.get(f"/brand/images/{item.pk}.png")
    deleted = auth_client.post(f"/brand/images/{item.pk}/delete/", follow=True)

    assert "Added “Me at the desk” (kept whole and framed in assets)." in response.content.decode()
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (600, 400)
    assert "Deleted “Me at the desk”." in deleted.content.decode()
    assert not CreatorMedia.objects.exists()


def test_a_bad_upload_on_the_page_is_explained(auth_client):
    response = auth_client.post("/brand/images/", {"image": svg_upload(), "role": "logo"})

    assert response.status_code == 400
    assert "SVG" in response.content.decode()
    assert not CreatorMedia.objects.exists()


def test_another_creators_image_is_not_found(auth_client, other_user):
    theirs = media_upload(owner=other_user, upload=mascot_upload())

    assert auth_client.get(f"/brand/images/{theirs.pk}.png").status_code == 404
    assert auth_client.post(f"/brand/images/{theirs.pk}/delete/").status_code == 404
    assert CreatorMedia.objects.filter(pk=theirs.pk).exists()


def test_the_api_adds_lists_and_deletes(api_client, user, other_user):
    api_client.force_login(user)
    theirs = media_upload(owner=other_user, upload=mascot_upload())

    created = api_client.post(
        "/api/v1/media/", {"file": mascot_upload(), "role": "mascot"}, format="multipart"
    )
    listed = api_client.get("/api/v1/media/").json()
    missing = api_client.get(f"/api/v1/media/{theirs.pk}/")
    renamed = api_client.patch(
        f"/api/v1/media/{created.json()['id']}/", {"name": "Fern", "role": "logo"}, format="json"
    )
    blank = api_client.patch(f"/api/v1/media/{created.json()['id']}/", {"name": "  "}, format="json")
    gone = api_client.delete(f"/api/v1/media/{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["kind"] == "cutout"
    assert [m["role"] for m in listed] == ["mascot"]
    assert missing.status_code == 404
    assert (renamed.json()["name"], renamed.json()["role"]) == ("Fern", "logo")
    assert blank.status_code == 400
    assert gone.status_code == 204


def test_the_api_says_when_the_plan_is_full(api_client, user):
    api_client.force_login(user)
    for number in range(3):
        media_upload(owner=user, upload=mascot_upload(name=f"m{number}.png"))

    response = api_client.post("/api/v1/media/", {"file": mascot_upload()}, format="multipart")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "plan_limit"


def test_staff_find_creators_images_in_the_admin(client, user):
    from tests.factories import UserFactory

    media_upload(owner=user, upload=mascot_upload(), name="Fern the fox", role="mascot")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/admin/brandkits/creatormedia/?q=fern").content.decode()

    assert "Fern the fox" in page
