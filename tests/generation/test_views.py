from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from generation.models import GenerationJob
from generation.views import _specs_version
from platforms import registry_file

pytestmark = pytest.mark.django_db

FORM = {"spec_key": "youtube.thumbnail", "prompt": '"RANKED GRIND"', "variants": "1", "pack": ""}


def test_generate_page_shows_asset_types_and_what_is_left(auth_client):
    response = auth_client.get("/create/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="twitch.emote"' in page
    assert "3 of 3" in page or "3 generations" in page


def shown_panels(page: str) -> list[str]:
    """The registry rows whose "What you will get" panel is shown (not hidden)."""
    return re.findall(r'<div data-spec-info="([^"]+)">', page)


def panels_cached_for(chosen: str) -> bool:
    """Whether the Create page's registry panels are cached for ``chosen`` (the current
    version of the registry and template)."""
    version = _specs_version(registry_file())
    return cache.get(make_template_fragment_key("generate_spec_panels", [version, chosen])) is not None


def test_the_create_page_shows_the_chosen_types_panel_from_the_cache_too(auth_client):
    first = auth_client.get("/create/").content.decode()
    emote = auth_client.get("/create/?spec=twitch.emote").content.decode()
    again = auth_client.get("/create/").content.decode()
    made_up = auth_client.get("/create/?spec=nothing.like.it").content.decode()

    assert shown_panels(first) == ["youtube.thumbnail"]
    assert shown_panels(emote) == ["twitch.emote"]
    assert shown_panels(again) == ["youtube.thumbnail"]
    assert shown_panels(made_up) == []
    assert panels_cached_for("twitch.emote")
    # A made-up type shares the one entry of "none chosen": ?spec= can't fill the cache.
    assert panels_cached_for("")
    assert not panels_cached_for("nothing.like.it")


def test_recent_jobs_are_named_by_their_type(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", FORM)

    page = auth_client.get("/create/").content.decode()

    assert "YouTube thumbnail" in page.split('id="recent-title"')[1]


def test_starting_a_job_goes_to_its_live_page(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/create/", FORM)

    job = GenerationJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/create/jobs/{job.pk}/"
    page = auth_client.get(response["Location"]).content.decode()
    assert "Done" in page
    assert "/library/assets/" in page


def test_the_job_status_partial_stops_polling_when_done(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", FORM)
    job = GenerationJob.objects.get()

    response = auth_client.get(f"/create/jobs/{job.pk}/", HTTP_HX_REQUEST="true")

    assert response.status_code == 286
    assert 'id="job-status"' in response.content.decode()


def test_the_fourth_free_generation_shows_an_upgrade_link(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            auth_client.post("/create/", FORM)

    response = auth_client.post("/create/", FORM)

    assert response.status_code == 200
    page = response.content.decode()
    assert "used all 3 generations" in page
    assert "/pricing/" in page
    assert GenerationJob.objects.count() == 3


def test_cost_is_shown_before_starting(auth_client):
    response = auth_client.post(
        "/create/cost/",
        {
            "spec_key": "twitch.emote",
            "prompt": "x",
            "pack": "emote_pack",
            "pack_items": "GG, HYPE, LUL",
            "variants": "1",
        },
    )

    assert response.status_code == 200
    assert "3 generations" in response.content.decode()


def test_an_emote_pack_of_one_idea_asks_for_the_list(auth_client):
    form = {"spec_key": "twitch.emote", "prompt": "hype emotes for my cozy cat stream", "variants": "1"}

    response = auth_client.post("/create/", {**form, "pack": "emote_pack"})

    assert response.status_code == 200
    assert "List the emotes for the pack (GG, HYPE, love heart…)" in response.content.decode()
    assert not GenerationJob.objects.exists()
    # A description written as a list is read as the pack's ideas; one idea listed on purpose
    # is the creator's choice.
    listed = auth_client.post("/create/cost/", {**form, "pack": "emote_pack", "prompt": "GG, HYPE"})
    assert "2 generations" in listed.content.decode()
    one = auth_client.post("/create/cost/", {**form, "pack": "emote_pack", "pack_items": "GG"})
    assert "1 generation" in one.content.decode()


def test_a_remix_that_can_no_longer_be_made_says_why(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", FORM)
    job = GenerationJob.objects.get()
    # An operator took the asset type out of the registry since.
    GenerationJob.objects.filter(pk=job.pk).update(spec_key="youtube.retired_type")

    for action in ("remix", "regenerate"):
        response = auth_client.post(f"/create/jobs/{job.pk}/{action}/", follow=True)

        assert response.status_code == 200
        assert "Pick a platform and asset type from the list." in response.content.decode()
    assert GenerationJob.objects.count() == 1


def test_another_creators_job_is_404(client, other_user, auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", FORM)
    job = GenerationJob.objects.get()
    client.force_login(other_user)

    assert client.get(f"/create/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/create/jobs/{job.pk}/cancel/").status_code == 404
    assert client.post(f"/create/jobs/{job.pk}/remix/").status_code == 404
