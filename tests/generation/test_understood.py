"""What the engine understood: live on Create, kept with the job and shown beside the result."""

from __future__ import annotations

import html
import re

import pytest

from billing.models import UsageEntry
from brandkits.services import brand_kit_create, media_upload
from generation import services
from generation.brand import brand_from_json
from generation.engine.layout import understood as engine_understood
from generation.engine.reading import LAYOUT_LABELS
from generation.models import GenerationJob
from library.models import Asset
from platforms import spec_get
from tests.factories import PlanGrantFactory
from tests.images import mascot_upload

pytestmark = pytest.mark.django_db

THUMBNAIL = {"spec_key": "youtube.thumbnail", "variants": "1", "pack": ""}
EMOTE_PACK = {"spec_key": "twitch.emote", "variants": "1", "pack": "emote_pack"}


def understood(client, **fields: str) -> str:
    response = client.get("/create/understood/", fields)
    assert response.status_code == 200
    return text_of(response.content.decode())


def text_of(page: str) -> str:
    """The words a person reads: tags dropped, entities decoded, whitespace squashed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# --- Create: live, as the creator types ---------------------------------------------------------


def test_create_shows_the_subject_its_crown_and_colour(auth_client):
    shown = understood(auth_client, **THUMBNAIL, prompt="a purple cat mascot with a crown")

    assert "Subject cat" in shown
    assert "With crown" in shown
    assert "Colours purple #8E24AA" in shown
    assert "Purple from your words, fonts and logo from your kit." in shown
    # The words leave the thumbnail's layout open: it is settled by the seed when the job starts.
    assert "Layout Picked for you when you generate" in shown
    assert "Every word was used." in shown


def test_create_lists_the_words_it_cannot_use(auth_client):
    shown = understood(
        auth_client,
        **THUMBNAIL,
        prompt='YouTube thumbnail of a purple cat with a crown, neon, "CLUTCH KING", '
        "ranked grind in Valorant",
    )

    assert "Style neon" in shown
    assert "Text CLUTCH KING" in shown
    assert "Not used: ranked, grind, valorant." in shown
    assert "Every word was used" not in shown


def test_create_says_honestly_what_is_drawn_when_no_subject_is_named(auth_client):
    shown = understood(auth_client, **THUMBNAIL, prompt="epic moment")

    assert "Subject None found in your words" in shown
    assert "kit's themes or one of our hand-drawn marks" in shown
    assert "Colours, fonts and logo from your kit." in shown


def test_an_emote_packs_ideas_show_the_shared_mascot_and_what_each_adds(auth_client):
    shown = understood(
        auth_client, **EMOTE_PACK, prompt="A cozy purple cat mascot", pack_items="GG, HYPE, love heart"
    )

    every, each = shown.split("Each emote adds")
    assert "Every emote" in every
    assert "Subject cat" in every
    assert "Style cozy" in every
    assert "purple #8E24AA" in every
    assert "GG : text GG" in each
    assert "HYPE : with fire , mood hype , text HYPE" in each
    assert "love heart : with red heart" in each


def test_the_layout_and_style_chosen_on_the_form_are_what_it_shows(auth_client):
    shown = understood(auth_client, **THUMBNAIL, prompt="a cat", layout="versus", style="pixel")

    assert "Layout versus split" in shown
    assert "Style pixel" in shown


def test_the_kits_avoid_list_is_applied_as_the_job_applies_it(auth_client, user):
    brand_kit_create(owner=user, name="No cats", avoid=["cat"])

    shown = understood(auth_client, **THUMBNAIL, prompt="a cat with a crown")

    assert "Subject cat" not in shown
    assert "With crown" in shown


def test_with_a_seed_create_shows_the_layout_the_job_will_use(
    auth_client, django_capture_on_commit_callbacks
):
    form = {**THUMBNAIL, "prompt": "a purple cat with a crown", "seed": "11"}
    shown = understood(auth_client, **form)

    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", form)

    reading = GenerationJob.objects.get().items[0]["reading"]
    assert f"Layout {LAYOUT_LABELS[reading['layout']]}" in shown


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"spec_key": "nowhere.nothing", "prompt": "a cat"},
        {**THUMBNAIL, "prompt": ""},
        {**THUMBNAIL, "prompt": "x" * 5000},
        {**THUMBNAIL, "prompt": "🐱" * 400 + ' #zzz ## "" \' « »', "text": "y" * 500},
        {
            **THUMBNAIL,
            "prompt": "a cat",
            "variants": "lots",
            "seed": "-4",
            "layout": "nope",
            "style": "vapour",
        },
        {**EMOTE_PACK, "spec_key": "youtube.thumbnail", "prompt": "a cat", "pack_items": ",,,\n,"},
        {"spec_key": "twitch.emote", "pack": "starter_kit", "prompt": "a cat", "variants": "1"},
        {**THUMBNAIL, "prompt": "a cat", "brand_kit": "999999"},
    ],
)
def test_odd_input_never_fails_and_saves_nothing(auth_client, fields):
    response = auth_client.get("/create/understood/", fields)

    assert response.status_code == 200
    assert 'id="understood"' in response.content.decode()
    assert GenerationJob.objects.count() == 0
    assert UsageEntry.objects.count() == 0


def test_a_screen_reader_hears_the_reading_as_one_line(auth_client):
    response = auth_client.get(
        "/create/understood/", {**THUMBNAIL, "prompt": "a purple cat with a crown wearing a tuxedo"}
    )

    announced = re.search(r'data-announce="([^"]*)"', response.content.decode())
    assert announced is not None
    assert html.unescape(announced.group(1)) == (
        "subject cat; with crown; colours purple #8E24AA; layout picked for you when you generate. "
        "Not used: wearing, tuxedo."
    )
    assert 'data-announce-to="understood-announcer"' in response.content.decode()


def test_an_emote_packs_line_names_what_each_emote_adds(auth_client):
    response = auth_client.get(
        "/create/understood/", {**EMOTE_PACK, "prompt": "a purple cat", "pack_items": "GG, love heart"}
    )

    announced = re.search(r'data-announce="([^"]*)"', response.content.decode())
    assert announced is not None
    assert html.unescape(announced.group(1)) == (
        "Every emote: subject cat; colours purple #8E24AA. GG: text GG. love heart: with red heart."
    )


def test_with_nothing_typed_it_says_what_it_will_show(auth_client):
    shown = understood(auth_client, **THUMBNAIL, prompt="")

    assert "Describe it and this shows what the art will have" in shown


def test_a_description_over_the_limit_says_so(auth_client):
    shown = understood(auth_client, **THUMBNAIL, prompt="cat " * 400)

    assert "too long to read: keep it under 1000 characters" in shown


def test_the_reading_needs_a_signed_in_creator(client):
    response = client.get("/create/understood/", {**THUMBNAIL, "prompt": "a cat"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_create_page_asks_for_the_reading_as_the_creator_types(auth_client):
    page = auth_client.get("/create/").content.decode()

    assert 'hx-get="/create/understood/"' in page
    assert "input changed delay:300ms from:#generate-form" in page
    assert 'aria-labelledby="understood-title"' in page


def test_a_failed_post_shows_the_reading_without_javascript(auth_client):
    response = auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat", "layout": "hero"})

    shown = text_of(response.content.decode())
    assert "Subject cat" in shown
    assert "Colours purple #8E24AA" in shown


# --- The form's layout and style --------------------------------------------------------------


def test_the_form_offers_each_layout_with_the_families_that_have_it(auth_client):
    page = auth_client.get("/create/").content.decode()

    assert re.search(r'<option value="versus" data-families="thumbnail">Versus split</option>', page)
    assert re.search(r'<option value="pattern" data-families="banner scene panel cover">', page)
    assert '<option value="pixel">Pixel art</option>' in page
    assert 'data-spec-info="youtube.thumbnail" data-family="thumbnail"' in page


def test_a_layout_of_another_asset_type_is_refused_with_the_ones_it_has(auth_client):
    response = auth_client.post("/create/", {**THUMBNAIL, "prompt": "a cat", "layout": "hero"})

    assert response.status_code == 200
    shown = text_of(response.content.decode())
    assert "A YouTube thumbnail has no such layout: choose big subject and headline, reaction" in shown
    assert GenerationJob.objects.count() == 0


def test_a_layout_for_a_type_with_one_layout_of_its_own_is_refused(auth_client):
    response = auth_client.post("/create/", {**EMOTE_PACK, "pack": "", "prompt": "a cat", "layout": "versus"})

    assert "has one layout of its own: let the words decide." in text_of(response.content.decode())
    assert GenerationJob.objects.count() == 0


def test_an_unknown_style_is_refused(auth_client):
    response = auth_client.post("/create/", {**THUMBNAIL, "prompt": "a cat", "style": "vaporwave"})

    assert "Select a valid choice" in response.content.decode()
    assert GenerationJob.objects.count() == 0


def test_the_chosen_layout_and_style_go_into_the_job_and_its_reading(
    auth_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/create/", {**THUMBNAIL, "prompt": "a neon cat", "layout": "versus", "style": "pixel"}
        )

    assert response.status_code == 302
    item = GenerationJob.objects.get().items[0]
    assert (item["layout"], item["style"]) == ("versus", "pixel")
    assert item["reading"]["layout"] == "versus"
    assert item["reading"]["styles"][0] == "pixel"


def test_a_remix_keeps_the_chosen_layout_and_style(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", {**THUMBNAIL, "prompt": "a cat", "layout": "versus", "style": "pixel"})
    job = GenerationJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(f"/create/jobs/{job.pk}/remix/")

    remix = GenerationJob.objects.exclude(pk=job.pk).get()
    assert remix.seed != job.seed
    assert remix.items[0]["reading"]["layout"] == "versus"
    assert remix.items[0]["reading"]["styles"][0] == "pixel"


# --- The API ------------------------------------------------------------------------------------

API_THUMBNAIL = {"platform": "youtube", "asset_type": "thumbnail", "prompt": "a purple cat with a crown"}


def test_the_api_takes_a_layout_style_and_colours_and_reports_the_reading(
    api_client, user, django_capture_on_commit_callbacks
):
    api_client.force_login(user)
    body = {**API_THUMBNAIL, "layout": "versus", "style": "neon", "colours": ["#00e5ff", "#8E24AA"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/generations/", body, format="json")

    assert response.status_code == 201
    (reading,) = response.json()["understood"]
    assert reading["layout"] == "versus"
    assert reading["styles"][0] == "neon"
    assert [c["hex"] for c in reading["colours"]] == ["#00E5FF", "#8E24AA"]
    assert reading["subjects"] == ["cat"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"layout": "hero"}, "layout"),
        ({"layout": "nonsense"}, "layout"),
        ({"style": "vaporwave"}, "style"),
        ({"colours": ["purple"]}, "colours"),
        ({"colours": ["#12345G"]}, "colours"),
        ({"colours": ["#123456"] * 7}, "colours"),
        ({"colours": "#123456"}, "colours"),
        ({"colours": [{"hex": "#123456"}]}, "colours"),
    ],
)
def test_the_api_refuses_a_bad_layout_style_or_colours_with_field_errors(api_client, user, body, field):
    api_client.force_login(user)

    response = api_client.post("/api/v1/generations/", {**API_THUMBNAIL, **body}, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert GenerationJob.objects.count() == 0


# --- The job and the library keep it ----------------------------------------------------------


def test_the_job_page_shows_what_was_understood(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/create/", {**THUMBNAIL, "prompt": "a purple cat with a crown wearing a tuxedo", "seed": "3"}
        )

    shown = text_of(auth_client.get(response["Location"]).content.decode())
    assert "What we understood" in shown
    assert "Subject cat" in shown
    assert "With crown" in shown
    assert "Colours purple #8E24AA" in shown
    assert "Purple from your words, fonts and logo from your kit." in shown
    assert "Not used: wearing, tuxedo." in shown
    layout = GenerationJob.objects.get().items[0]["reading"]["layout"]
    assert f"Layout {LAYOUT_LABELS[layout]}" in shown


def test_an_emote_packs_job_page_shows_each_emotes_additions(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/create/", {**EMOTE_PACK, "prompt": "A cozy purple cat mascot", "pack_items": "GG, love heart"}
        )

    shown = text_of(auth_client.get(response["Location"]).content.decode())
    assert "Every emote" in shown
    assert "GG : text GG" in shown
    assert "love heart : with red heart" in shown


def test_a_job_from_before_readings_were_kept_shows_none(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat"})
    job = GenerationJob.objects.get()
    job.items = [{k: v for k, v in item.items() if k != "reading"} for item in job.items]
    job.save(update_fields=["items"])

    page = auth_client.get(response["Location"])

    assert page.status_code == 200
    assert "What we understood" not in page.content.decode()


def test_a_job_with_an_unreadable_reading_shows_none(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat"})
    job = GenerationJob.objects.get()
    job.items = [{**item, "reading": {"colours": [{"nope": 1}]}} for item in job.items]
    job.save(update_fields=["items"])

    page = auth_client.get(response["Location"])

    assert page.status_code == 200
    assert "What we understood" not in page.content.decode()


def test_the_library_asset_keeps_the_reading_and_shows_it(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat with a crown wearing a tuxedo"})
    asset = Asset.objects.get()
    assert asset.recipe["reading"]["subjects"] == ["cat"]

    page = auth_client.get(f"/library/assets/{asset.pk}/").content.decode()
    assert f'hx-get="/create/assets/{asset.pk}/understood/"' in page
    shown = text_of(auth_client.get(f"/create/assets/{asset.pk}/understood/").content.decode())
    assert "What we understood" in shown
    assert "Subject cat" in shown
    assert "With crown" in shown
    assert "Not used: wearing, tuxedo." in shown


def test_an_older_asset_shows_nothing(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat"})
    asset = Asset.objects.get()
    asset.recipe = {k: v for k, v in asset.recipe.items() if k != "reading"}
    asset.save(update_fields=["recipe"])
    job = GenerationJob.objects.get()
    job.items = [{k: v for k, v in item.items() if k != "reading"} for item in job.items]
    job.save(update_fields=["items"])

    response = auth_client.get(f"/create/assets/{asset.pk}/understood/")

    assert (response.status_code, response.content) == (200, b"")


def test_another_creators_asset_reading_is_404(
    client, other_user, auth_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat"})
    asset = Asset.objects.get()
    client.force_login(other_user)

    assert client.get(f"/create/assets/{asset.pk}/understood/").status_code == 404


# --- Odd input and odd records ------------------------------------------------------------------

BADGES = {"spec_key": "twitch.sub_badge", "variants": "1", "pack": "badge_set", "prompt": "a cat"}


@pytest.mark.parametrize("tiers", ["²", "1, ³", "9" * 5000])
def test_badge_tiers_that_are_not_numbers_never_fail(auth_client, user, tiers):
    # "²" is a digit to str.isdigit but not to int; int refuses thousands of digits.
    PlanGrantFactory(user=user, plan="pro")
    assert auth_client.get("/create/understood/", {**BADGES, "pack_items": tiers}).status_code == 200
    assert auth_client.post("/create/cost/", {**BADGES, "pack_items": tiers}).status_code == 200
    assert auth_client.post("/create/", {**BADGES, "pack_items": tiers}).status_code == 302
    assert all(1 <= (item["tier"] or 0) < 10_000 for item in GenerationJob.objects.get().items)


@pytest.mark.parametrize(
    "reading",
    [{"subjects": [1, 2]}, {"styles": [None]}, {"colours": [{"word": "x", "hex": "red;x:y"}]}, ["cat"]],
)
def test_a_recorded_reading_that_is_not_text_shows_nothing_and_never_fails(
    auth_client, django_capture_on_commit_callbacks, reading
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/create/", {**THUMBNAIL, "prompt": "a purple cat"})
    job = GenerationJob.objects.get()
    job.items = [{**item, "reading": reading} for item in job.items]
    job.save(update_fields=["items"])
    asset = Asset.objects.get()
    asset.recipe = {**asset.recipe, "reading": reading}
    asset.save(update_fields=["recipe"])

    page = auth_client.get(response["Location"])
    assert page.status_code == 200
    assert "What we understood" not in page.content.decode()
    assert auth_client.get(f"/create/assets/{asset.pk}/understood/").content == b""


@pytest.mark.parametrize("action", ["remix", "regenerate"])
def test_a_job_recorded_with_empty_choices_can_be_made_again(
    auth_client, django_capture_on_commit_callbacks, action
):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", {**THUMBNAIL, "prompt": "a cat"})
    job = GenerationJob.objects.get()
    job.items = [{**item, "layout": None, "style": None, "colours": None} for item in job.items]
    job.save(update_fields=["items"])

    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(f"/create/jobs/{job.pk}/{action}/")

    again = GenerationJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/create/jobs/{again.pk}/"
    assert again.status == GenerationJob.Status.SUCCEEDED


def test_with_the_creators_image_the_recipe_and_create_show_the_layout_that_is_drawn(auth_client, user):
    # Seeds 5 and 6 pick a pattern when no image is counted; over the creator's image there is
    # never one, so the recipe must count the image as the renderer does.
    PlanGrantFactory(user=user, plan="pro")
    mascot = media_upload(owner=user, upload=mascot_upload(), role="mascot", name="Fern")
    for seed in (5, 6):
        form = {
            "spec_key": "stream.starting_soon",
            "variants": "1",
            "pack": "",
            "prompt": "victory",
            "seed": str(seed),
            "images": str(mascot.pk),
        }
        shown = understood(auth_client, **form)
        job, _ = services.job_create(
            user=user,
            request=services.JobRequest(
                spec_key="stream.starting_soon", prompt="victory", seed=seed, media_ids=(mascot.pk,)
            ),
        )
        item = job.item_list[0]
        drawn = engine_understood(
            spec_get(item.spec), services.brief_for(item), brand_from_json(job.brand_snapshot), seed
        ).layout

        assert item.reading["layout"] == drawn != "pattern"
        assert f"Layout {LAYOUT_LABELS[drawn]}" in shown
