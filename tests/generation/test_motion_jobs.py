"""Motion through the app: animated jobs on paid plans, animating an existing design, refining
how it moves, downloads named for the platform, stills for reduced motion, and the API."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from billing.models import UsageEntry
from billing.services import MotionNotAllowed
from generation import services
from generation.engine.motion.encode import decode_animation
from generation.models import GenerationJob
from generation.services import JobRequest
from library.models import Asset
from tests.factories import UserFactory
from tests.images import served

pytestmark = pytest.mark.django_db


def make(user, capture, spec_key="twitch.animated_emote", **fields) -> Asset:
    request = JobRequest(spec_key=spec_key, prompt="a hype cat", text="GG", seed=3, **fields)
    with capture(execute=True):
        job, _ = services.job_create(user=user, request=request)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    return Asset.objects.get(source_job_id=job.pk)


def frames(data: bytes) -> int:
    return getattr(Image.open(io.BytesIO(data)), "n_frames", 1)


def test_a_pro_creator_makes_an_animated_emote_in_three_moving_sizes(pro, django_capture_on_commit_callbacks):
    asset = make(pro, django_capture_on_commit_callbacks, animation="bounce", speed="fast", loops=3)

    renditions = list(asset.renditions.order_by("-width"))
    assert [(r.label, r.format) for r in renditions] == [("112", "GIF"), ("56", "GIF"), ("28", "GIF")]
    for rendition in renditions:
        with rendition.file.open("rb") as handle:
            data = handle.read()
        assert 2 <= frames(data) <= 60
        assert decode_animation(data).loop == 3  # plays three times, then rests
    assert asset.animated
    assert asset.recipe["motion"]["animation"] == "bounce"
    assert asset.recipe["motion"]["loops"] == 3
    assert asset.recipe["motion"]["label"] == "Bounce"
    assert asset.recipe["motion"]["label"] == "Bounce"
    assert any(check["code"] == "flash" and check["ok"] for check in asset.checks)
    assert UsageEntry.objects.get(user=pro).quantity == 1  # one asset, one generation


def test_motion_is_not_on_the_free_plan(user, django_capture_on_commit_callbacks):
    request = JobRequest(spec_key="twitch.animated_emote", prompt="a hype cat", text="GG")
    with pytest.raises(MotionNotAllowed, match="Upgrade to Pro or Studio"):
        services.job_create(user=user, request=request)
    assert not GenerationJob.objects.exists()
    assert not UsageEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"animation": "moonwalk"}, "animation", "Choose an animation"),
        ({"animation": "bounce", "spec_key": "stream.animated_overlay"}, "animation", "can't be used"),
        ({"speed": "warp"}, "speed", "Choose a speed"),
        ({"loops": 99}, "loops", "up to 10 times"),
        ({"animation": "bounce", "spec_key": "twitch.emote"}, "animation", "doesn't move"),
        ({"fps": 60}, "fps", "Twitch emote (animated) plays at 25 frames a second"),
        ({"fps": 24, "spec_key": "stream.alert"}, "fps", "plays at 30 or 60 frames a second"),
    ],
)
def test_bad_motion_settings_are_named_and_make_nothing(pro, fields, field, words):
    spec_key = fields.pop("spec_key", "twitch.animated_emote")
    with pytest.raises(ValidationError) as error:
        services.job_create(user=pro, request=JobRequest(spec_key=spec_key, prompt="cat", **fields))
    assert words in " ".join(error.value.message_dict[field])
    assert not GenerationJob.objects.exists()


def test_create_offers_motion_and_free_creators_the_upgrade(client, pro):
    client.force_login(UserFactory())
    page = client.get("/create/?spec=twitch.animated_emote").content.decode()
    assert "data-motion-fields" in page
    assert "aren&#x27;t part of the Free plan" in page
    client.force_login(pro)
    page = client.get("/create/?spec=twitch.animated_emote").content.decode()
    assert 'name="animation"' in page
    assert "aren&#x27;t part of the" not in page


def test_a_still_emote_is_animated_and_refined_slower(pro, client, django_capture_on_commit_callbacks):
    client.force_login(pro)
    still = make(pro, django_capture_on_commit_callbacks, spec_key="twitch.emote")
    panel = client.get(f"/create/assets/{still.pk}/animate/").content.decode()
    assert "Make it move" in panel
    assert "Twitch emote (animated)" in panel

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/create/assets/{still.pk}/animate/",
            {"spec_key": "twitch.animated_emote", "animation": "bounce", "speed": "normal", "loops": "0"},
        )
    moving = Asset.objects.get(spec_key="twitch.animated_emote")
    assert response.status_code == 302
    assert response["Location"] == f"/create/jobs/{moving.source_job_id}/"
    assert moving.recipe["seed"] == still.recipe["seed"]  # the same design
    assert moving.family_id is None  # a new asset, not a version of the still

    refine = client.get(f"/create/assets/{moving.pk}/refine/").content.decode()
    assert "Slower" in refine
    assert "Brighter" in refine
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/create/assets/{moving.pk}/refine/", {"instruction": "slower"})
    slower = Asset.objects.get(family_id=moving.pk)
    assert slower.refine_note["applied"] == ["Slower"]

    def loop_ms(asset: Asset) -> int:
        with asset.renditions.get(label="112").file.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            total = 0
            for index in range(image.n_frames):
                image.seek(index)
                total += image.info["duration"]
        return total

    assert loop_ms(slower) > loop_ms(moving)

    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(f"/library/assets/{slower.pk}/zip/").streaming_content))
    )
    names = sorted(archive.namelist())
    assert [name.rsplit("-", 1)[-1] for name in names] == ["112x112.gif", "28x28.gif", "56x56.gif"]
    assert all(name.startswith("twitch-animated-emote") for name in names)


def test_the_animate_panel_offers_free_creators_the_upgrade(
    auth_client, user, django_capture_on_commit_callbacks
):
    still = make(user, django_capture_on_commit_callbacks, spec_key="twitch.emote")
    panel = auth_client.get(f"/create/assets/{still.pk}/animate/").content.decode()
    assert "aren&#x27;t part of the Free plan" in panel
    response = auth_client.post(
        f"/create/assets/{still.pk}/animate/",
        {"spec_key": "twitch.animated_emote", "animation": "bounce", "speed": "normal", "loops": "0"},
        follow=True,
    )
    assert "aren&#x27;t part of the Free plan" in response.content.decode()
    assert not Asset.objects.filter(spec_key="twitch.animated_emote").exists()


def test_a_thumbnail_has_nothing_to_animate(pro, client, django_capture_on_commit_callbacks):
    client.force_login(pro)
    thumbnail = make(pro, django_capture_on_commit_callbacks, spec_key="youtube.thumbnail")
    assert client.get(f"/create/assets/{thumbnail.pk}/animate/").content == b""
    response = client.post(
        f"/create/assets/{thumbnail.pk}/animate/",
        {"spec_key": "twitch.animated_emote", "animation": "bounce", "speed": "normal", "loops": "0"},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()


def test_another_creators_asset_cannot_be_animated_or_seen_still(
    pro, client, django_capture_on_commit_callbacks
):
    moving = make(pro, django_capture_on_commit_callbacks)
    client.force_login(UserFactory())
    assert client.get(f"/create/assets/{moving.pk}/animate/").status_code == 404
    assert client.get(f"/library/assets/{moving.pk}/files/112/still/").status_code == 404


def test_pages_hold_animated_files_still_for_reduced_motion(pro, client, django_capture_on_commit_callbacks):
    client.force_login(pro)
    moving = make(pro, django_capture_on_commit_callbacks)
    page = client.get(f"/library/assets/{moving.pk}/").content.decode()
    assert '<source media="(prefers-reduced-motion: reduce)"' in page
    assert "data-motion-toggle" in page
    assert "Bounce · 1.00× speed · loops forever" in page
    still = client.get(f"/library/assets/{moving.pk}/files/112/still/")
    image = Image.open(io.BytesIO(still.content))
    assert still["Content-Type"] == "image/png"
    assert image.size == (112, 112)
    assert getattr(image, "n_frames", 1) == 1
    # The grid's tile moves as a small WebP, held still by its first frame for reduced motion.
    grid = client.get("/library/").content.decode()
    tile = f"/library/assets/{moving.pk}/files/112/thumbnail-v1"
    assert f'<source media="(prefers-reduced-motion: reduce)" srcset="{tile}-still.webp" data-still>' in grid
    assert f'<img src="{tile}.webp"' in grid
    thumbnail, still = client.get(f"{tile}.webp"), client.get(f"{tile}-still.webp")
    assert thumbnail["Content-Type"] == still["Content-Type"] == "image/webp"
    moving_bytes = served(thumbnail)
    assert len(moving_bytes) <= 50_000
    assert frames(moving_bytes) > 1  # it moves (frames that repeat are merged)
    assert frames(served(still)) == 1


def test_an_alert_keeps_a_webm_beside_its_gif(studio, client, django_capture_on_commit_callbacks):
    client.force_login(studio)
    alert = make(studio, django_capture_on_commit_callbacks, spec_key="stream.alert", animation="pop_in")
    assert sorted((r.label, r.format) for r in alert.renditions.all()) == [
        ("720", "GIF"),
        ("720-webm", "WEBM"),
    ]
    page = client.get(f"/library/assets/{alert.pk}/").content.decode()
    assert "<video" in page
    assert "data-motion-video" in page
    video = client.get(f"/library/assets/{alert.pk}/files/720-webm/?inline=1")
    assert video["Content-Type"] == "video/webm"
    assert client.get(f"/library/assets/{alert.pk}/files/720-webm/still/").status_code == 404
    names = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(f"/library/assets/{alert.pk}/zip/").streaming_content))
    ).namelist()
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["gif", "webm"]


def test_the_api_makes_and_animates_and_refuses_free(api_client, pro, django_capture_on_commit_callbacks):
    api_client.force_login(pro)
    with django_capture_on_commit_callbacks(execute=True):
        made = api_client.post(
            "/api/v1/generations/",
            {"platform": "twitch", "asset_type": "emote", "prompt": "a hype cat", "text": "GG"},
            format="json",
        )
    still = Asset.objects.get(source_job_id=made.json()["id"])
    with django_capture_on_commit_callbacks(execute=True):
        animated = api_client.post(
            f"/api/v1/assets/{still.pk}/animate/",
            {"platform": "discord", "asset_type": "animated_emoji", "animation": "wave"},
            format="json",
        )
    assert animated.status_code == 201, animated.json()
    assert Asset.objects.get(spec_key="discord.animated_emoji").recipe["motion"]["animation"] == "wave"
    registry = api_client.get("/api/v1/platforms/").json()
    rows = registry if isinstance(registry, list) else registry.get("results", registry)
    twitch = next(row for row in rows if row["key"] == "twitch.animated_emote")
    assert twitch["motion"]["max_frames"] == 60
    assert "bounce" in twitch["motion"]["animations"]

    api_client.logout()
    api_client.force_login(UserFactory())
    refused = api_client.post(
        "/api/v1/generations/",
        {"platform": "twitch", "asset_type": "animated_emote", "prompt": "a hype cat", "animation": "bounce"},
        format="json",
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "plan_limit"
    assert refused.json()["error"]["upgrade_url"].endswith("/pricing/")


def test_a_design_refused_for_flashing_fails_its_job_with_the_reason_and_refunds(
    pro, django_capture_on_commit_callbacks
):
    request = JobRequest(
        spec_key="twitch.animated_emote", prompt="a red circle", colours=("#FF0000",), animation="rainbow"
    )
    with django_capture_on_commit_callbacks(execute=False):
        job, _ = services.job_create(user=pro, request=request)
    # As if asked for far faster than any speed on offer: red round the wheel many times a second.
    item = dict(job.items[0])
    item["motion"] = {**item["motion"], "speed": 80.0}
    GenerationJob.objects.filter(pk=job.pk).update(items=[item])
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.FAILED
    assert "flashes too often to be safe for photosensitive viewers" in job.error
    assert not Asset.objects.filter(source_job_id=job.pk).exists()
    assert UsageEntry.objects.get(reference=job.usage_reference).state == UsageEntry.State.RELEASED


def test_a_still_type_ignores_motion_settings_left_in_the_form(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/create/",
            {
                "spec_key": "twitch.emote",
                "prompt": "a hype cat",
                "text": "GG",
                "variants": 1,
                "animation": "spin",
            },
        )
    assert response.status_code == 302
    job = GenerationJob.objects.get()
    assert job.item_list[0].motion is None


def test_slower_at_the_longest_loop_the_type_allows_is_said_and_costs_nothing(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    typed = make(
        pro, django_capture_on_commit_callbacks, animation="typewriter", speed="slow"
    )  # 2.4 s: the cap
    chips = client.get(f"/create/assets/{typed.pk}/refine/").content.decode()
    assert ">Brighter<" in chips
    # Longer than 2.4 s it can't go, even "faster" stays over it, and typing has no amount.
    for gone in (">Slower<", ">Faster<", ">Less movement<", ">More movement<"):
        assert gone not in chips
    response = client.post(f"/create/assets/{typed.pk}/refine/", {"instruction": "slower"}, follow=True)
    assert "It already plays at the pace this asset type allows" in response.content.decode()
    assert not GenerationJob.objects.filter(refine_of=typed.pk).exists()


def test_an_overlay_is_offered_only_what_keeps_its_frame_still(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    overlay = make(pro, django_capture_on_commit_callbacks, spec_key="stream.overlay")
    panel = client.get(f"/create/assets/{overlay.pk}/animate/").content.decode()
    assert '<option value="sparkle" selected' in panel  # the overlay's own default
    assert 'value="bounce"' not in panel


def test_pages_never_show_an_alerts_webm_as_an_image(studio, client, django_capture_on_commit_callbacks):
    client.force_login(studio)
    alert = make(studio, django_capture_on_commit_callbacks, spec_key="stream.alert", animation="pulse")
    for url in (
        "/dashboard/",
        "/library/",
        f"/library/assets/{alert.pk}/",
        f"/create/jobs/{alert.source_job_id}/",
    ):
        page = client.get(url).content.decode()
        assert f'<img src="/library/assets/{alert.pk}/files/720-webm/' not in page, url
    jobs = client.get("/api/v1/generations/").json()
    assert all("webm" not in str(job.get("thumbnail")) for job in jobs["results"])


def test_an_alerts_webm_is_served_in_ranges_for_safari(studio, client, django_capture_on_commit_callbacks):
    client.force_login(studio)
    alert = make(studio, django_capture_on_commit_callbacks, spec_key="stream.alert", animation="pulse")
    url = f"/library/assets/{alert.pk}/files/720-webm/?inline=1"
    whole = b"".join(client.get(url).streaming_content)
    assert len(whole) == alert.renditions.get(label="720-webm").bytes
    first = client.get(url, HTTP_RANGE="bytes=0-1")
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-1/{len(whole)}"
    assert first["Accept-Ranges"] == "bytes"
    assert b"".join(first.streaming_content) == whole[:2] == b"\x1a\x45"  # Matroska's magic
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == whole[-10:]
    middle = client.get(url, HTTP_RANGE=f"bytes=100-{len(whole) + 50}")
    assert b"".join(middle.streaming_content) == whole[100:]
    past = client.get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{len(whole)}"
    assert client.get(url, HTTP_RANGE="bytes=nonsense").status_code == 200  # the whole file


def test_quick_create_templates_make_moving_assets_on_paid_plans(pro, django_capture_on_commit_callbacks):
    from generation.quick.services import job_from_template
    from generation.quick.templates import catalog

    templates = catalog()
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = job_from_template(
            user=pro, template=templates.get("animated-emote"), vibe="hype", values={"word": "GG"}
        )
    asset = Asset.objects.get(source_job_id=job.pk)
    assert asset.spec_key == "twitch.animated_emote"
    assert asset.recipe["motion"]["animation"] == "bounce"
    with pytest.raises(MotionNotAllowed):
        job_from_template(user=UserFactory(), template=templates.get("follow-alert"), vibe="hype", values={})
