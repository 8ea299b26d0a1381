"""Refine a result in plain words: measurable changes on the local engine, versions with
before/after and revert, plan limits, the API, and the image model's edit request."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from billing.models import UsageEntry
from generation import services
from generation.engine.providers.local import LocalArtProvider
from generation.engine.refine import CHIPS, LIMITS, NO_CORNER_LOGO, chips_for, interpret
from generation.engine.render import render_asset
from generation.engine.types import BrandSnapshot, Brief, Palette, Placement, Tweaks
from generation.models import GenerationJob
from generation.services import JobRequest
from library.models import Asset
from platforms import spec_get
from tests.factories import PlanGrantFactory
from tests.fakes import gemini as fake_gemini
from tests.fakes.gemini import FakeGemini

pytestmark = pytest.mark.django_db

PINK, CYAN = "#E0245E", "#22D3EE"
BRAND = BrandSnapshot(
    name="Nova",
    palette=Palette(primary=PINK, secondary="#7A1036", accent=CYAN, background="#120A1F", text="#FFFFFF"),
    channel_name="Nova",
)


def draw(key: str, tweaks: Tweaks | None = None) -> tuple[Image.Image, tuple[Placement, ...]]:
    brief = Brief(
        prompt="cozy starting soon screen", text="Back in 5", subtext="Stardew", tweaks=tweaks or Tweaks()
    )
    result = render_asset(spec=spec_get(key), brief=brief, brand=BRAND, seed=11, provider=LocalArtProvider())
    image = Image.open(io.BytesIO(result.files[0].data)).convert("RGB")
    return image, result.placements


def luminance(image: Image.Image) -> float:
    return float(np.asarray(image.convert("L"), dtype=float).mean())


def title_area(placements: tuple[Placement, ...]) -> int:
    rects = [p.rect for p in placements if p.kind == "text" and p.label in ("title", "headline")]
    return sum(r.width * r.height for r in rects)


def dominant_hue(image: Image.Image, placements: tuple[Placement, ...]) -> int:
    """The most common hue (0-255) of the saturated pixels outside the words and the logo."""
    mask = np.ones((image.height, image.width), dtype=bool)
    for placement in placements:
        r = placement.rect
        mask[r.y : r.y + r.height, r.x : r.x + r.width] = False
    hsv = np.asarray(image.convert("HSV"), dtype=int)
    pixels = hsv[mask & (hsv[..., 1] > 80)]
    return int(np.argmax(np.bincount(pixels[:, 0] // 16, minlength=16))) * 16 + 8


def hue_of(hex_colour: str) -> int:
    image = Image.new("RGB", (1, 1), hex_colour).convert("HSV")
    return image.getpixel((0, 0))[0]  # type: ignore[index]  # HSV: a tuple


def hue_distance(a: int, b: int) -> int:
    return min(abs(a - b), 256 - abs(a - b))


# --- The words ----------------------------------------------------------------------------------


def keys(chips) -> list[str]:
    return [chip.key for chip in chips]


def test_each_chip_is_offered_where_it_changes_something():
    for chip in chips_for(Tweaks()):
        meaning = interpret(chip.instruction)
        assert meaning.changed, chip
        assert meaning.not_understood == "", chip
    # The corner logo starts on the left: "Move logo left" appears once it has moved right.
    assert keys(chips_for(Tweaks())) == [key for key in keys(CHIPS) if key != "logo-left"]
    moved = interpret("move logo right").tweaks
    assert "logo-left" in keys(chips_for(moved))
    assert "logo-right" not in keys(chips_for(moved))
    # No logo in a corner (an emote, or a kit without a logo): no logo chips.
    no_logo = {"logo_side": NO_CORNER_LOGO}
    assert not [key for key in keys(chips_for(Tweaks(), unavailable=no_logo)) if key.startswith("logo")]
    # At the limit, the chip goes.
    assert "brighter" not in keys(chips_for(Tweaks(brightness=LIMITS["brightness"][1])))


def test_a_change_that_is_already_there_is_said_and_not_claimed():
    meaning = interpret("brighter and move the logo left", Tweaks(brightness=LIMITS["brightness"][1]))

    assert meaning.applied == ()
    assert meaning.already == ("The logo is already on the left.", "It is already as bright as it goes.")
    assert interpret("logo on the right", unavailable={"logo_side": NO_CORNER_LOGO}).already == (
        "This asset has no logo in a corner to move.",
    )


def test_a_sentence_applies_what_it_can_and_says_what_it_could_not():
    meaning = interpret("Brighter, a bigger title please, and add a dragon")

    assert set(meaning.applied) == {"Brighter", "Bigger text"}
    assert meaning.tweaks.brightness > 1
    assert meaning.tweaks.text_scale > 1
    assert meaning.not_understood == "add dragon"


def test_instructions_build_on_the_tweaks_already_there_within_limits():
    tweaks = Tweaks()
    for _ in range(12):
        tweaks = interpret("brighter", tweaks).tweaks

    assert 1.18**2 < tweaks.brightness <= 2.2


# --- Measurable on the local engine ------------------------------------------------------------


@pytest.mark.parametrize("key", ["stream.starting_soon", "youtube.thumbnail"])
def test_brighter_raises_the_mean_luminance(key):
    before, _ = draw(key)
    after, _ = draw(key, interpret("brighter").tweaks)

    assert luminance(after) > luminance(before) + 4


@pytest.mark.parametrize("key", ["stream.starting_soon", "youtube.thumbnail"])
def test_bigger_text_enlarges_the_texts_box(key):
    _, before = draw(key)
    _, after = draw(key, interpret("bigger text").tweaks)

    assert title_area(after) > title_area(before) * 1.1


def test_swap_to_accent_makes_the_accent_the_dominant_hue_of_the_art():
    before_image, before = draw("youtube.thumbnail")
    after_image, after = draw("youtube.thumbnail", interpret("swap to accent colour").tweaks)

    assert hue_distance(dominant_hue(before_image, before), hue_of(PINK)) <= 12
    assert hue_distance(dominant_hue(after_image, after), hue_of(CYAN)) <= 12


def test_darker_background_lowers_the_luminance():
    before, _ = draw("stream.starting_soon")
    after, _ = draw("stream.starting_soon", interpret("darker background").tweaks)

    assert luminance(after) < luminance(before) - 4


def test_the_same_refine_gives_the_same_bytes():
    tweaks = interpret("more contrast and more glow").tweaks
    one, _ = draw("stream.brb", tweaks)
    two, _ = draw("stream.brb", tweaks)

    assert one.tobytes() == two.tobytes()


# --- Versions through the app ---------------------------------------------------------------


def made(user, capture, spec_key="youtube.thumbnail", text="GG EZ") -> Asset:
    with capture(execute=True):
        job, _ = services.job_create(
            user=user, request=JobRequest(spec_key=spec_key, prompt="victory night", text=text, seed=3)
        )
    return Asset.objects.get(source_job_id=job.pk)


def master(asset: Asset) -> Image.Image:
    with asset.renditions.order_by("-width").first().file.open("rb") as file:
        image = Image.open(file)
        image.load()
    return image.convert("RGB")


def test_refining_makes_a_brighter_new_version_that_the_library_shows(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    original = made(pro, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/create/assets/{original.pk}/refine/", {"instruction": "brighter"})

    job = GenerationJob.objects.get(refine_of=original.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/create/jobs/{job.pk}/"
    assert job.status == GenerationJob.Status.SUCCEEDED
    refined = Asset.objects.get(source_job_id=job.pk)
    original.refresh_from_db()
    assert (refined.family_id, refined.version, refined.is_current) == (original.pk, 2, True)
    assert original.is_current is False
    assert refined.refine_note["applied"] == ["Brighter"]
    assert luminance(master(refined)) > luminance(master(original)) + 3
    # The library lists the family once, as its current version.
    page = client.get("/library/").content.decode()
    assert f"/library/assets/{refined.pk}/" in page
    assert f"/library/assets/{original.pk}/" not in page
    assert UsageEntry.objects.get(reference=job.usage_reference).kind == "refine"
    job_page = client.get(f"/create/jobs/{job.pk}/").content.decode()
    assert "Changes made: Brighter." in job_page
    assert "Compare with the version before" in job_page


def test_compare_and_revert(pro, client, django_capture_on_commit_callbacks):
    client.force_login(pro)
    original = made(pro, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/create/assets/{original.pk}/refine/", {"instruction": "more contrast"})
    refined = Asset.objects.get(family_id=original.pk)

    compare = client.get(f"/library/assets/{refined.pk}/compare/").content.decode()
    detail = client.get(f"/library/assets/{refined.pk}/").content.decode()
    revert = client.post(f"/library/assets/{original.pk}/make-current/", follow=True)

    assert "Before: version 1" in compare
    assert "After: version 2" in compare
    assert "“more contrast” — More contrast" in compare
    assert "Versions" in detail
    assert "Make current" in detail
    assert "Version 1 is the current version again." in revert.content.decode()
    original.refresh_from_db()
    refined.refresh_from_db()
    assert (original.is_current, refined.is_current) == (True, False)


def test_deleting_an_asset_deletes_its_versions_and_undo_brings_them_back(
    pro, client, django_capture_on_commit_callbacks
):
    from library.services import assets_delete, assets_restore

    original = made(pro, django_capture_on_commit_callbacks)
    client.force_login(pro)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/create/assets/{original.pk}/refine/", {"instruction": "brighter"})
    refined = Asset.objects.get(family_id=original.pk)

    assets_delete(user=pro, asset_ids=[refined.pk])
    assert not Asset.objects.filter(deleted_at__isnull=True).exists()
    assets_restore(user=pro, asset_ids=[refined.pk])
    assert Asset.objects.filter(deleted_at__isnull=True).count() == 2


def test_refining_is_not_on_the_free_plan(auth_client, user, django_capture_on_commit_callbacks):
    original = made(user, django_capture_on_commit_callbacks)

    response = auth_client.post(
        f"/create/assets/{original.pk}/refine/", {"instruction": "brighter"}, follow=True
    )
    panel = auth_client.get(f"/create/assets/{original.pk}/refine/").content.decode()

    assert "Refining a result in plain words isn&#x27;t part of the Free plan." in response.content.decode()
    assert not GenerationJob.objects.filter(refine_of=original.pk).exists()
    assert "Upgrade to Pro for 5 refines a month" in panel


def test_pro_includes_five_refines_then_each_counts_as_a_generation(pro, django_capture_on_commit_callbacks):
    original = made(pro, django_capture_on_commit_callbacks)

    kinds = []
    for _ in range(6):
        job, _ = services.asset_refine(user=pro, asset=original, instruction="brighter")
        kinds.append(UsageEntry.objects.get(reference=job.usage_reference).kind)

    assert kinds == ["refine"] * 5 + ["generation"]


def test_studio_refines_are_unlimited(user, django_capture_on_commit_callbacks):
    PlanGrantFactory(user=user, plan="studio")
    original = made(user, django_capture_on_commit_callbacks)

    for _ in range(8):
        services.asset_refine(user=user, asset=original, instruction="more glow")

    assert UsageEntry.objects.filter(kind="refine").count() == 8


def test_an_instruction_the_engine_cannot_do_is_explained_and_makes_nothing(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    original = made(pro, django_capture_on_commit_callbacks)

    response = client.post(
        f"/create/assets/{original.pk}/refine/",
        {"instruction": "add a dragon", "next": "/library/"},
        follow=True,
    )

    assert "Nothing in that is something the engine can change." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/library/"
    assert not GenerationJob.objects.filter(refine_of=original.pk).exists()


def test_a_refine_that_would_change_nothing_says_why_and_makes_nothing(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    original = made(pro, django_capture_on_commit_callbacks)  # the default kit has no logo

    job_page = client.get(f"/create/jobs/{original.source_job_id}/").content.decode()
    assert ">Brighter</button>" in job_page
    assert "Move logo" not in job_page
    response = client.post(
        f"/create/assets/{original.pk}/refine/",
        {"instruction": "move the logo left", "next": "/library/"},
        follow=True,
    )

    assert "This asset has no logo in a corner to move. Nothing was changed." in response.content.decode()
    assert not GenerationJob.objects.filter(refine_of=original.pk).exists()
    assert not UsageEntry.objects.filter(kind="refine").exists()


def test_bigger_text_is_offered_and_charged_only_where_the_words_can_grow(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    emote = made(pro, django_capture_on_commit_callbacks, spec_key="twitch.emote", text="GG")
    scene = made(pro, django_capture_on_commit_callbacks, spec_key="stream.starting_soon", text="Back in 5")
    thumbnail = made(pro, django_capture_on_commit_callbacks)  # a short headline, "GG EZ"

    # An emote's words take the size its layout gives them: no chip, and asking changes nothing.
    assert "Bigger text" not in client.get(f"/create/jobs/{emote.source_job_id}/").content.decode()
    refused = client.post(f"/create/assets/{emote.pk}/refine/", {"instruction": "bigger text"}, follow=True)
    assert "The words on this asset keep the size its layout gives them." in refused.content.decode()

    # A scene's title grows into the room it is given.
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_refine(user=pro, asset=scene, instruction="bigger text")
    assert Asset.objects.get(family_id=scene.pk).refine_note["applied"] == ["Bigger text"]

    # The thumbnail's short headline is as tall as its column allows already: refused, no charge.
    response = client.post(
        f"/create/assets/{thumbnail.pk}/refine/", {"instruction": "bigger text"}, follow=True
    )
    assert (
        "The text already fills the room the layout gives it. Nothing was changed."
        in response.content.decode()
    )
    assert not GenerationJob.objects.filter(refine_of=thumbnail.pk).exists()
    assert UsageEntry.objects.filter(kind="refine").count() == 1


def test_another_creators_asset_cannot_be_refined(
    pro, client, other_user, django_capture_on_commit_callbacks
):
    theirs = made(other_user, django_capture_on_commit_callbacks)
    client.force_login(pro)

    assert client.post(f"/create/assets/{theirs.pk}/refine/", {"instruction": "brighter"}).status_code == 404
    assert client.get(f"/library/assets/{theirs.pk}/compare/").status_code == 404
    assert client.post(f"/library/assets/{theirs.pk}/make-current/").status_code == 404


# --- API ---------------------------------------------------------------------------------------


def test_the_api_refines_lists_versions_and_reverts(api_client, pro, django_capture_on_commit_callbacks):
    original = made(pro, django_capture_on_commit_callbacks)
    api_client.force_login(pro)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"/api/v1/assets/{original.pk}/refine/",
            {"instruction": "swap to accent colour, add fire"},
            format="json",
        )
    versions = api_client.get(f"/api/v1/assets/{original.pk}/versions/").json()
    reverted = api_client.post(f"/api/v1/assets/{original.pk}/make-current/").json()

    assert response.status_code == 201
    refine = response.json()["refine"]
    assert refine["applied"] == ["Swapped to your accent colour"]
    assert refine["not_understood"] == "add fire"
    assert [(v["version"], v["is_current"]) for v in versions] == [(1, False), (2, True)]
    assert reverted["is_current"] is True


def test_the_api_refine_on_free_is_a_plan_limit(api_client, user, django_capture_on_commit_callbacks):
    original = made(user, django_capture_on_commit_callbacks)
    api_client.force_login(user)

    response = api_client.post(
        f"/api/v1/assets/{original.pk}/refine/", {"instruction": "brighter"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "plan_limit"
    assert response.json()["error"]["upgrade_url"].endswith("/pricing/")


# --- On an image model: the previous image and the instruction are sent --------------------------


def test_a_refine_on_gemini_sends_the_previous_image_and_the_instruction(
    pro, settings, django_capture_on_commit_callbacks
):
    original = made(pro, django_capture_on_commit_callbacks)
    with FakeGemini.running() as fake:
        fake.script(then=fake_gemini.image())
        fake.use_as_image_provider(settings)
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.asset_refine(
                user=pro, asset=original, instruction="make the sky stormy, brighter"
            )

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    [call] = fake.calls
    [(mime, sent)] = call.inline_data
    assert mime == "image/png"
    assert Image.open(io.BytesIO(sent)).size == master(original).size
    assert "inlineData" in call.parts[0]
    assert "The creator asks: make the sky stormy, brighter." in call.parts[-1]["text"]
