"""The keyboard-first shell: the palette's entries (each creator's own only), milestones,
shortcut settings and the onboarding tour."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts import ux_services
from accounts.models import Milestone, TourState
from brandkits import services as brandkits
from coach import services as coach
from generation import services as generation
from generation.services import JobRequest
from library import services as library
from tests.factories import AssetFactory, PlanGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return {item["title"] for item in response.json()["items"]}


def test_the_palette_lists_only_the_creators_own_work(client, user, other_user):
    for owner, word in ((user, "Mine"), (other_user, "Theirs")):
        brandkits.brand_kit_create(owner=owner, name=f"{word} kit")
        AssetFactory(owner=owner, title=f"{word} neon cat")
        library.collection_create(user=owner, name=f"{word} collection")
        coach.session_create(user=owner, title=f"{word} coach chat")
    client.force_login(user)

    everything = _titles(client.get("/palette/"))
    searched = _titles(client.get("/palette/", {"q": "neon"}))
    by_word = _titles(client.get("/palette/", {"q": "theirs"}))

    assert {"Mine kit", "Mine neon cat", "Mine collection", "Mine coach chat"} <= everything
    assert not any("Theirs" in title for title in everything)
    assert searched == {"Mine neon cat"}
    assert by_word == set()
    # Pages, actions and Quick Create templates are there too.
    assert {"Library", "Toggle theme", "New emote pack"} <= everything
    assert any(title.startswith("New thumbnail for") for title in everything)


def test_the_palette_search_finds_older_assets_by_title(client, user):
    for index in range(12):
        AssetFactory(owner=user, title=f"Filler {index}")
    AssetFactory(owner=user, title="Ancient dragon banner")
    for index in range(12, 20):
        AssetFactory(owner=user, title=f"Filler {index}")
    client.force_login(user)

    assert "Ancient dragon banner" not in _titles(client.get("/palette/"))  # not among the recent
    found = client.get("/palette/", {"q": "dragon anc"}).json()["items"]
    assert [item["title"] for item in found] == ["Ancient dragon banner"]
    assert found[0]["url"].startswith("/library/assets/")


def test_the_palette_needs_a_signed_in_creator(client):
    response = client.get("/palette/")
    assert response.status_code == 302


def test_the_palette_switches_kits_through_the_kits_own_form(client, user):
    PlanGrantFactory(user=user, plan="pro")
    brandkits.brand_kit_create(owner=user, name="Main")
    second = brandkits.brand_kit_create(owner=user, name="Second")
    client.force_login(user)

    switches = [
        item for item in client.get("/palette/").json()["items"] if item["title"].startswith("Switch")
    ]

    assert [(s["title"], s["url"], s["method"]) for s in switches] == [
        ("Switch brand kit to Second", reverse("brandkits:set_default", args=[second.pk]), "post")
    ]


# --- Milestones ----------------------------------------------------------------------------


def test_milestones_are_recorded_once_from_real_events(user, django_capture_on_commit_callbacks):
    brandkits.brand_kit_create(owner=user, name="One")
    with django_capture_on_commit_callbacks(execute=True):
        generation.job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG"'))
        generation.job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt='"WP"'))
    asset = AssetFactory(owner=user)
    library.asset_share(asset=asset)
    library.asset_unshare(asset=asset)
    library.asset_share(asset=asset)

    kinds = list(Milestone.objects.filter(user=user).values_list("kind", flat=True))
    assert sorted(kinds) == sorted(
        [Milestone.Kind.FIRST_BRAND_KIT, Milestone.Kind.FIRST_ASSET, Milestone.Kind.FIRST_SHARE]
    )


def test_a_pack_and_asset_counts_reach_their_milestones(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        generation.job_create(
            user=user,
            request=JobRequest(
                spec_key="twitch.emote", prompt="a cat", pack="emote_pack", pack_items=("GG", "LOL")
            ),
        )
    reached = set(Milestone.objects.filter(user=user).values_list("kind", flat=True))
    assert {Milestone.Kind.FIRST_PACK, Milestone.Kind.FIRST_ASSET} <= reached

    assert ux_services.milestones_for_asset_count(user_id=user.pk, asset_count=10) == [
        Milestone.Kind.ASSETS_10
    ]
    assert ux_services.milestones_for_asset_count(user_id=user.pk, asset_count=150) == [
        Milestone.Kind.ASSETS_100
    ]
    assert ux_services.milestones_for_asset_count(user_id=user.pk, asset_count=150) == []


def test_the_celebration_shows_once_and_the_profile_lists_milestones(client, user):
    brandkits.brand_kit_create(owner=user, name="One")
    client.force_login(user)

    page = client.get("/dashboard/").content.decode()
    assert "data-celebration" in page
    assert "Milestone: First brand kit!" in page
    milestone = Milestone.objects.get(user=user)
    response = client.post(
        "/milestones/seen/", {"milestone": [milestone.pk]}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 204

    assert "data-celebration" not in client.get("/dashboard/").content.decode()
    profile = client.get("/profile/").content.decode()
    assert 'id="milestones"' in profile
    assert "First brand kit" in profile


def test_one_creator_cannot_mark_anothers_milestones_seen(client, user, other_user):
    brandkits.brand_kit_create(owner=other_user, name="Theirs")
    theirs = Milestone.objects.get(user=other_user)
    client.force_login(user)
    client.post("/milestones/seen/", {"milestone": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.celebrated_at is None


# --- Shortcut settings ---------------------------------------------------------------------


def _shortcut_config(page: str) -> dict:
    start = page.index('data-shortcuts="') + len('data-shortcuts="')
    raw = page[start : page.index('"', start)]
    return json.loads(raw.replace("&quot;", '"'))


def test_shortcut_keys_are_saved_per_creator_and_reach_the_page(client, user):
    client.force_login(user)
    form = {
        "enabled": "on",
        "new": "n",
        "quick": "q",
        "library": "y",
        "brand": "b",
        "coach": "c",
        "refine": "e",
    }

    response = client.post("/profile/shortcuts/", form)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.shortcut_keys == {"library": "y"}  # only what differs from the defaults
    config = _shortcut_config(client.get("/dashboard/").content.decode())
    assert config["enabled"] is True
    assert config["keys"]["library"] == "y"
    assert config["urls"]["library"] == reverse("library:list")
    assert config["go"]["d"] == reverse("dashboard")


def test_shortcuts_can_be_switched_off(client, user):
    client.force_login(user)
    form = {"new": "n", "quick": "q", "library": "l", "brand": "b", "coach": "c", "refine": "e"}
    client.post("/profile/shortcuts/", form)
    user.refresh_from_db()
    assert user.shortcuts_enabled is False
    assert _shortcut_config(client.get("/dashboard/").content.decode())["enabled"] is False


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"library": "n"}, "already the key"),
        ({"library": "g"}, "G starts the two-key navigation"),
        ({"library": "/"}, "one letter or digit"),
    ],
)
def test_clashing_or_unusable_keys_are_refused(client, user, change, error):
    client.force_login(user)
    form = {
        "enabled": "on",
        "new": "n",
        "quick": "q",
        "library": "l",
        "brand": "b",
        "coach": "c",
        "refine": "e",
    }
    response = client.post("/profile/shortcuts/", {**form, **change})
    assert response.status_code == 400
    assert error in response.content.decode()
    user.refresh_from_db()
    assert user.shortcut_keys == {}


# --- Onboarding tour -----------------------------------------------------------------------


def test_a_new_creator_gets_the_tour_and_can_skip_and_resume_it(client):
    creator = UserFactory()
    assert creator.tour_state == TourState.ACTIVE
    client.force_login(creator)

    assert "First, your brand kit" in client.get("/dashboard/").content.decode()
    response = client.post("/tour/", {"action": "next"}, headers={"HX-Request": "true"})
    assert "Then, your first asset" in response.content.decode()

    client.post("/tour/", {"action": "skip", "next": "/library/"})
    creator.refresh_from_db()
    assert (creator.tour_state, creator.tour_step) == (TourState.SKIPPED, 1)
    assert "data-tour " not in client.get("/dashboard/").content.decode()

    response = client.post("/tour/", {"action": "resume", "next": "/library/"})
    assert response.status_code == 302
    assert response["Location"] == "/library/"
    assert "Then, your first asset" in client.get("/library/").content.decode()

    client.post("/tour/", {"action": "next"})
    client.post("/tour/", {"action": "finish"})
    creator.refresh_from_db()
    assert creator.tour_state == TourState.DONE
    client.post("/tour/", {"action": "resume"})
    creator.refresh_from_db()
    assert (creator.tour_state, creator.tour_step) == (TourState.ACTIVE, 0)


def test_the_tour_refuses_unknown_actions_and_outside_redirects(client, user):
    client.force_login(user)
    assert client.post("/tour/", {"action": "explode"}).status_code == 400
    response = client.post("/tour/", {"action": "skip", "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")
