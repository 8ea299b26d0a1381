from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from brandkits import services
from brandkits.models import BrandKit
from tests.brandkits.bad_uploads import png_bytes
from tests.factories import PlanGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator_api(api_client, user):
    api_client.force_login(user)
    return api_client


def test_crud_with_colors_and_typography(creator_api, user):
    created = creator_api.post(
        "/api/v1/brand-kits/",
        {
            "name": "Cozy Corner",
            "colors": {
                "primary": "#ff8a00",
                "secondary": "#7c3aed",
                "accent": "#22d3ee",
                "background": "#1a1a2e",
                "text": "#ffffff",
                "extra": [],
            },
            "typography": {"heading_font": "fredoka-one", "body_font": "lato"},
            "keywords": ["coffee", "rain"],
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    kit = created.json()
    assert kit["colors"]["primary"] == "#FF8A00"
    assert kit["is_default"] is True
    patched = creator_api.patch(
        f"/api/v1/brand-kits/{kit['id']}/colors/", {"accent": "#00ff99"}, format="json"
    )
    assert patched.json()["accent"] == "#00FF99"
    typography = creator_api.put(
        f"/api/v1/brand-kits/{kit['id']}/typography/",
        {"heading_font": "fjalla-one", "body_font": "roboto"},
        format="json",
    )
    assert typography.json()["heading_font"] == "fjalla-one"
    assert creator_api.delete(f"/api/v1/brand-kits/{kit['id']}/").status_code == 204
    assert not BrandKit.objects.exists()


def test_bad_colour_is_a_field_error(creator_api):
    response = creator_api.post(
        "/api/v1/brand-kits/", {"name": "X", "colors": {"primary": "nope"}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["colors.primary"] == ["Enter a colour as #RRGGBB."]


def test_plan_limit_is_explained(creator_api, user):
    services.brand_kit_create(owner=user, name="One")

    response = creator_api.post("/api/v1/brand-kits/", {"name": "Two"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "plan_limit"
    assert "Upgrade" in response.json()["error"]["message"]


def test_logo_upload_and_palette_and_contrast(creator_api, user):
    kit = services.brand_kit_create(owner=user, name="Kit")
    upload = SimpleUploadedFile("l.png", png_bytes((120, 80), "#FF2E88"), content_type="image/png")

    logo = creator_api.post(f"/api/v1/brand-kits/{kit.pk}/logos/", {"role": "icon", "file": upload})
    palette = creator_api.post(
        "/api/v1/brand-kits/palette/",
        {"file": SimpleUploadedFile("p.png", png_bytes((100, 100), "#7C3AED"), content_type="image/png")},
    )
    contrast = creator_api.post("/api/v1/brand-kits/contrast/", {"text": "#777777", "background": "#ffffff"})

    assert logo.status_code == 201
    assert logo.json()["role"] == "icon"
    assert "#7C3AED" in [c["hex"] for c in palette.json()["colors"]]
    assert contrast.json()["ratio"] == 4.48
    assert contrast.json()["passes_aa"] is False
    assert contrast.json()["suggestion"]


def test_duplicate_and_default(creator_api, user):

    PlanGrantFactory(user=user, plan="studio")
    kit = services.brand_kit_create(owner=user, name="Main")

    copy = creator_api.post(f"/api/v1/brand-kits/{kit.pk}/duplicate/").json()
    made_default = creator_api.post(f"/api/v1/brand-kits/{copy['id']}/default/").json()

    assert made_default["is_default"] is True
    assert [k["is_default"] for k in creator_api.get("/api/v1/brand-kits/").json()].count(True) == 1


def test_only_the_owner_sees_a_kit(creator_api, api_client, user, other_user):
    kit = services.brand_kit_create(owner=other_user, name="Theirs")

    assert creator_api.get(f"/api/v1/brand-kits/{kit.pk}/").status_code == 404
    assert (
        creator_api.patch(
            f"/api/v1/brand-kits/{kit.pk}/colors/", {"accent": "#000000"}, format="json"
        ).status_code
        == 404
    )
    assert creator_api.delete(f"/api/v1/brand-kits/{kit.pk}/").status_code == 404
    assert creator_api.post(f"/api/v1/brand-kits/{kit.pk}/duplicate/").status_code == 404
    assert creator_api.get("/api/v1/brand-kits/").json() == []
    assert BrandKit.objects.get(pk=kit.pk).accent_color != "#000000"
