"""Brand kits through their pages: making, editing, logos, fonts, limits and ownership."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from brandkits import services
from brandkits.models import BrandFont, BrandKit, BrandLogo
from tests.brandkits.bad_uploads import bad_font_uploads, bad_image_uploads, png_bytes, roboto_bytes
from tests.factories import KIT_FORM as KIT
from tests.factories import PlanGrantFactory
from tests.images import logo_upload, media_files

pytestmark = pytest.mark.django_db


def test_a_creator_makes_their_first_kit_which_becomes_default(auth_client, user):
    response = auth_client.post("/brand/new/", KIT)

    kit = BrandKit.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == f"/brand/{kit.pk}/"
    assert (kit.name, kit.primary_color, kit.heading_font, kit.is_default) == (
        "Neon Nights",
        "#FF2E88",
        "fjalla-one",
        True,
    )


def test_a_bad_colour_is_explained_and_nothing_is_saved(auth_client, user):
    response = auth_client.post("/brand/new/", {**KIT, "primary_color": "pink-ish"})

    assert response.status_code == 200
    assert "Enter a colour as #RRGGBB." in response.content.decode()
    assert not BrandKit.objects.exists()


def test_free_creators_get_one_kit_and_are_told_why(auth_client, user):
    auth_client.post("/brand/new/", KIT)

    response = auth_client.post("/brand/new/", {**KIT, "name": "Second"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "includes 1 brand kit" in page
    assert "Upgrade to Pro" in page
    assert BrandKit.objects.filter(owner=user).count() == 1


def test_pro_creators_get_five_kits(user):
    PlanGrantFactory(user=user, plan="pro")
    for index in range(5):
        services.brand_kit_create(owner=user, name=f"Kit {index}")

    with pytest.raises(services.BrandKitLimitReached):
        services.brand_kit_create(owner=user, name="Sixth")


def test_logo_upload_is_re_encoded_trimmed_and_its_background_removable(auth_client, user):
    kit = services.brand_kit_create(owner=user, name="Kit")

    response = auth_client.post(f"/brand/{kit.pk}/logos/", {"role": "primary", "file": logo_upload()})

    assert response.status_code == 302
    logo = BrandLogo.objects.get(kit=kit)
    assert logo.flat_background == "#FFFFFF"
    assert not logo.has_transparency
    assert "logo" not in Path(logo.original.name).name  # a name we chose
    auth_client.post(f"/brand/{kit.pk}/logos/primary/remove-background/")
    logo = BrandLogo.objects.get(kit=kit)
    with Image.open(logo.trimmed.path) as trimmed:
        assert trimmed.mode == "RGBA"
        assert trimmed.getpixel((0, 0))[3] == 0
    served = auth_client.get(f"/brand/{kit.pk}/logos/primary/trimmed.png")
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("case_id", "upload", "message"), bad_image_uploads(), ids=lambda v: str(v)[:30])
def test_every_bad_logo_gets_a_clear_error_and_leaves_nothing(auth_client, user, case_id, upload, message):
    kit = services.brand_kit_create(owner=user, name="Kit")
    before = media_files()

    response = auth_client.post(f"/brand/{kit.pk}/logos/", {"role": "primary", "file": upload})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BrandLogo.objects.exists()
    assert media_files() == before


@pytest.mark.parametrize(("case_id", "upload", "message"), bad_font_uploads(), ids=lambda v: str(v)[:30])
def test_every_bad_font_gets_a_clear_error_and_leaves_nothing(auth_client, user, case_id, upload, message):
    PlanGrantFactory(user=user, plan="pro")
    before = media_files()

    response = auth_client.post("/brand/fonts/", {"file": upload, "next": "/brand/"}, follow=True)

    assert message in response.content.decode()
    assert not BrandFont.objects.exists()
    assert media_files() == before


def test_font_upload_is_for_paid_plans(auth_client, user):
    response = auth_client.post(
        "/brand/fonts/",
        {"file": SimpleUploadedFile("Roboto.ttf", roboto_bytes()), "next": "/brand/"},
        follow=True,
    )

    assert "part of the Pro and Studio plans" in response.content.decode()
    assert not BrandFont.objects.exists()


def test_a_pro_creator_uploads_a_font_and_uses_it(auth_client, user):
    PlanGrantFactory(user=user, plan="pro")
    kit = services.brand_kit_create(owner=user, name="Kit")

    auth_client.post(
        "/brand/fonts/", {"file": SimpleUploadedFile("x.ttf", roboto_bytes()), "next": "/brand/"}
    )
    font = BrandFont.objects.get(owner=user)
    response = auth_client.post(f"/brand/{kit.pk}/", {**KIT, "heading_font_file": font.pk})

    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.heading_font_file == font
    assert font.family == "Roboto"


def test_kit_from_an_image_suggests_colours_without_saving(auth_client, user):
    image = SimpleUploadedFile("banner.png", png_bytes((200, 100), "#7C3AED"), content_type="image/png")

    response = auth_client.post("/brand/new/from-image/", {"file": image})

    assert response.status_code == 200
    assert "#7C3AED" in response.content.decode().upper()
    assert not BrandKit.objects.exists()


def test_duplicate_and_default_and_delete(auth_client, user, django_capture_on_commit_callbacks):
    PlanGrantFactory(user=user, plan="pro")
    kit = services.brand_kit_create(owner=user, name="Main")
    services.brand_logo_upload(kit=kit, role="icon", upload=logo_upload())

    auth_client.post(f"/brand/{kit.pk}/duplicate/")
    copy = BrandKit.objects.exclude(pk=kit.pk).get()
    assert copy.name == "Main (copy)"
    assert copy.logos.get().trimmed.name != kit.logos.get().trimmed.name

    auth_client.post(f"/brand/{copy.pk}/default/")
    copy.refresh_from_db()
    kit.refresh_from_db()
    assert (copy.is_default, kit.is_default) == (True, False)

    files_before = media_files()
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(f"/brand/{copy.pk}/delete/")
    kit.refresh_from_db()
    assert kit.is_default
    # The files stay until the undo window passes (tests/brandkits/test_undo.py).
    assert media_files() == files_before


def test_contrast_partial_grades_the_colours_being_edited(auth_client):
    response = auth_client.get(
        "/brand/contrast/",
        {
            "text_color": "#777777",
            "background_color": "#FFFFFF",
            "primary_color": "#000000",
            "secondary_color": "#000000",
            "accent_color": "#000000",
        },
    )

    page = response.content.decode()
    assert "4.48:1" in page or "4.48" in page


def test_another_creators_kit_is_404_everywhere(client, user, other_user):
    kit = services.brand_kit_create(owner=user, name="Mine")
    services.brand_logo_upload(kit=kit, role="primary", upload=logo_upload())
    client.force_login(other_user)

    for url in (
        f"/brand/{kit.pk}/",
        f"/brand/{kit.pk}/logos/primary/original.png",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/brand/{kit.pk}/delete/",
        f"/brand/{kit.pk}/default/",
        f"/brand/{kit.pk}/duplicate/",
        f"/brand/{kit.pk}/logos/primary/delete/",
        f"/brand/{kit.pk}/logos/primary/remove-background/",
    ):
        assert client.post(url).status_code == 404, url
    assert BrandKit.objects.filter(pk=kit.pk).exists()
