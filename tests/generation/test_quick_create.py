"""Quick Create: templates as data files, the gallery, one-click jobs, previews and the API."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from brandkits.services import brand_kit_create
from generation.models import GenerationJob
from generation.quick.templates import MAX_FIELDS, catalog
from library.models import Asset

pytestmark = pytest.mark.django_db


def png(response) -> Image.Image:
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def test_every_shipped_template_loads_with_at_most_three_fields():
    loaded = catalog()

    assert loaded.problems == ()
    keys = {t.key for t in loaded.templates}
    assert {
        "starting-soon",
        "be-right-back",
        "stream-ending",
        "going-live",
        "schedule-banner",
        "victory-thumbnail",
        "reaction-thumbnail",
        "hype-emotes",
        "sub-badges",
        "channel-panels",
        "sub-goal-overlay",
        "short-cover",
    } <= keys
    for template in loaded.templates:
        assert len(template.fields) <= MAX_FIELDS
        assert len(template.vibes) >= 2


def test_the_gallery_shows_every_template_grouped_without_its_prompts(auth_client):
    page = auth_client.get("/create/quick/").content.decode()

    assert "Stream scenes" in page
    assert "Thumbnails" in page
    for template in catalog().templates:
        assert f'href="/create/quick/{template.key}/"' in page
        assert f'src="/create/quick/{template.key}/preview.png"' in page
    # Prompt and style words stay on the server.
    assert "synthwave" not in page
    assert "focal motif" not in page


def test_adding_a_template_file_puts_it_in_the_gallery(auth_client, templates_dir):
    (templates_dir / "raid-thanks.toml").write_text(
        """
key = "raid-thanks"
name = "Raid thank-you"
category = "Stream scenes"
description = "Thank the raiders in style."
spec = "stream.brb"
prompt = "{vibe} celebration for a raid"
text = "Thanks for the raid"
subtext = "{raider}"

[[fields]]
key = "raider"
label = "Raider"
placeholder = "their channel name"
required = true

[[vibes]]
key = "party"
name = "Party"
style = "hype confetti party"
""",
        encoding="utf-8",
    )

    page = auth_client.get("/create/quick/").content.decode()
    detail = auth_client.get("/create/quick/raid-thanks/")

    assert "Raid thank-you" in page
    assert detail.status_code == 200
    assert "Raider" in detail.content.decode()


def test_a_broken_template_file_is_left_out_and_the_rest_still_show(auth_client, templates_dir, caplog):
    (templates_dir / "broken.toml").write_text(
        'key = "broken"\nname = "Broken"\ncategory = "X"\ndescription = "x"\nspec = "nowhere.nothing"\n'
        'prompt = "x"\n[[vibes]]\nkey = "a"\nname = "A"\nstyle = "a"\n',
        encoding="utf-8",
    )
    (templates_dir / "too-many-fields.toml").write_text(
        (templates_dir / "starting-soon.toml").read_text().replace('key = "starting-soon"', 'key = "four"')
        + '\n[[fields]]\nkey = "a"\nlabel = "A"\n[[fields]]\nkey = "b"\nlabel = "B"\n',
        encoding="utf-8",
    )

    response = auth_client.get("/create/quick/")

    assert response.status_code == 200
    assert "Starting soon" in response.content.decode()
    problems = catalog().problems
    assert any("broken.toml" in p and "names no platform asset type" in p for p in problems)
    assert any("too-many-fields.toml" in p and "at most 3 fields" in p for p in problems)
    assert "Quick Create template left out: broken.toml" in caplog.text
    assert auth_client.get("/create/quick/broken/").status_code == 404


def test_the_template_page_offers_vibes_fields_and_a_one_click_generate(auth_client):
    page = auth_client.get("/create/quick/starting-soon/").content.decode()

    for vibe in ("Neon night", "Cozy", "Hype", "Retro arcade"):
        assert vibe in page
    assert 'name="f_title"' in page
    assert 'value="Starting soon"' in page
    assert 'name="f_game"' in page
    assert "Uses <strong" in page
    assert "Generate" in page
    assert "synthwave" not in page


def test_generating_from_a_template_makes_the_asset_with_the_creators_words(
    auth_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/create/quick/starting-soon/",
            {"vibe": "cozy", "f_title": "Back in 5", "f_game": "Stardew Valley", "seed": "1234"},
        )

    job = GenerationJob.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/create/jobs/{job.pk}/"
    assert job.template == "starting-soon"
    assert job.spec_key == "stream.starting_soon"
    assert job.text == "Back in 5"
    assert job.subtext == "Stardew Valley"
    assert job.prompt.startswith("cozy warm soft lofi starting soon screen for a Stardew Valley stream")
    assert job.seed == 1234
    assert job.status == GenerationJob.Status.SUCCEEDED
    asset = Asset.objects.get(source_job_id=job.pk)
    assert (asset.width, asset.height) == (1920, 1080)


def test_the_preview_is_what_the_job_makes(auth_client, user, django_capture_on_commit_callbacks):
    brand_kit_create(owner=user, name="Berry", primary_color="#E0245E", accent_color="#FFD166")
    choices = {"vibe": "neon", "f_title": "Soon!", "seed": "99"}

    preview = png(auth_client.get("/create/quick/starting-soon/preview.png", choices))
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/quick/starting-soon/", choices)

    asset = Asset.objects.get(owner=user)
    with asset.renditions.order_by("-width").first().file.open("rb") as file:
        made = Image.open(file)
        made.load()
    made = made.convert("RGB").resize(preview.size, Image.Resampling.LANCZOS)
    difference = np.abs(np.asarray(made, dtype=int) - np.asarray(preview.convert("RGB"), dtype=int))
    assert preview.size == (640, 360)
    assert difference.mean() < 2.0  # the same picture (JPEG vs PNG encoding aside)


def test_the_preview_is_drawn_in_the_creators_brand(auth_client, user):
    brand_kit_create(owner=user, name="Mint", primary_color="#00C2A8", secondary_color="#00897B")

    image = png(auth_client.get("/create/quick/victory-thumbnail/preview.png")).convert("RGB")

    pixels = np.asarray(image, dtype=int).reshape(-1, 3)
    teal = (np.abs(pixels - np.array([0, 0xC2, 0xA8])).sum(axis=1) < 60).mean()
    assert teal > 0.02  # the kit's colour is all over it


def test_a_preview_with_another_creators_kit_is_refused(auth_client, other_user):
    theirs = brand_kit_create(owner=other_user, name="Theirs")

    response = auth_client.get("/create/quick/starting-soon/preview.png", {"brand_kit": theirs.pk})

    assert response.status_code == 400


def test_bad_field_values_are_explained_and_nothing_is_made(auth_client, user):
    response = auth_client.post("/create/quick/starting-soon/", {"vibe": "cozy", "f_title": "x" * 40})

    assert response.status_code == 400
    assert "Ensure this value has at most 32 characters" in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_a_pack_template_makes_every_item(pro, client, django_capture_on_commit_callbacks):
    client.force_login(pro)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/create/quick/channel-panels/", {"vibe": "retro", "f_game": "farming games"})

    job = GenerationJob.objects.get()
    assert job.pack == "panel_set"
    assert job.cost == 4
    assert [item["text"] for item in job.items] == ["About", "Schedule", "Rules", "Donate"]
    assert Asset.objects.filter(source_job_id=job.pk).count() == 4


def test_a_free_creator_is_told_a_pack_costs_more_than_they_have(auth_client):
    response = auth_client.post("/create/quick/hype-emotes/", {"vibe": "hype"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "This would make 4 assets, but your Free plan has 3 generations left this month." in page
    assert not GenerationJob.objects.exists()


# --- API ---------------------------------------------------------------------------------------


def test_the_api_lists_templates_without_their_prompts(api_client, user):
    api_client.force_login(user)

    body = api_client.get("/api/v1/templates/").json()

    starting = next(t for t in body if t["key"] == "starting-soon")
    assert starting["platform"] == "stream"
    assert starting["asset_type"] == "starting_soon"
    assert [v["key"] for v in starting["vibes"]] == ["neon", "cozy", "hype", "retro"]
    assert [f["key"] for f in starting["fields"]] == ["title", "game"]
    assert starting["preview_url"].endswith("/api/v1/templates/starting-soon/preview/")
    assert "prompt" not in starting
    assert "synthwave" not in str(body)
    assert next(t for t in body if t["key"] == "hype-emotes")["assets"] == 4


def test_the_api_starts_a_template_job_once_per_idempotency_key(api_client, user):
    api_client.force_login(user)
    body = {"vibe": "hype", "fields": {"headline": "CLUTCH"}, "seed": 5}

    first = api_client.post(
        "/api/v1/templates/victory-thumbnail/generate/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = api_client.post(
        "/api/v1/templates/victory-thumbnail/generate/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    job = GenerationJob.objects.get()
    assert (job.text, job.template, job.seed) == ("CLUTCH", "victory-thumbnail", 5)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"vibe": "disco"}, "vibe"), ({"fields": {"headline": "x" * 30}}, "headline")],
)
def test_the_api_refuses_bad_choices(api_client, user, body, field):
    api_client.force_login(user)

    response = api_client.post("/api/v1/templates/victory-thumbnail/generate/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not GenerationJob.objects.exists()


def test_the_api_preview_and_unknown_templates(api_client, user):
    api_client.force_login(user)

    preview = api_client.get("/api/v1/templates/going-live/preview/", {"title": "LIVE", "vibe": "retro"})
    missing = api_client.get("/api/v1/templates/nope/")

    assert png(preview).size == (360, 640)
    assert missing.status_code == 404
