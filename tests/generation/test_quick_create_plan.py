"""Quick Create says before Generate when a template makes more than the plan has left, in the
gallery and on the template's page, as Create does."""

from __future__ import annotations

import re

import pytest

from generation.models import GenerationJob
from tests.factories import PlanGrantFactory

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def card(page: str, name: str) -> str:
    """The words of the gallery card of the template called ``name``."""
    start = page.index(f">{name}</a>")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page[start : page.index("</li>", start)]))


def test_a_free_creator_is_warned_before_generating_a_pack_bigger_than_what_is_left(auth_client):
    response = auth_client.get("/create/quick/hype-emotes/")

    text = words(response)
    assert response.status_code == 200
    assert "This will use 4 generations, but you have 3 left this month on Free." in text
    # Generate is not offered for what the plan would refuse; the way to more is.
    generate = re.search(
        r"<button[^>]*>\s*<svg[^>]*>.*?</svg>\s*Generate\s*</button>", response.content.decode(), re.S
    )
    assert generate
    assert "disabled" in generate.group(0)
    assert "See plans" in text or "Upgrade" in text
    assert not GenerationJob.objects.exists()


def test_a_template_within_the_plan_is_generated_as_before(auth_client):
    response = auth_client.get("/create/quick/starting-soon/")

    text = words(response)
    assert "Uses 1 generation: you have 3 left this period." in text
    generate = re.search(
        r"<button[^>]*>\s*<svg[^>]*>.*?</svg>\s*Generate\s*</button>", response.content.decode(), re.S
    )
    assert generate
    assert "disabled" not in generate.group(0)


def test_the_gallery_marks_templates_over_what_the_plan_has_left(auth_client):
    page = auth_client.get("/create/quick/").content.decode()

    assert "Needs 4 generations: you have 3 left this month on Free" in card(page, "Hype emote set")
    assert "generations: you have" not in card(page, "Starting soon")


def test_nothing_is_marked_on_a_plan_with_room(auth_client, user):
    PlanGrantFactory(user=user, plan="studio")

    page = auth_client.get("/create/quick/").content.decode()
    quick = words(auth_client.get("/create/quick/hype-emotes/"))

    assert "generations: you have" not in page
    assert "but you have" not in quick


def test_an_optional_field_says_optional_once(auth_client, templates_dir):
    shipped = words(auth_client.get("/create/quick/hype-emotes/"))
    # An operator's template may still write "(optional)" in a label: the form says it once.
    path = templates_dir / "hype-emotes.toml"
    path.write_text(re.sub(r'label = "Mascot[^"]*"', 'label = "Sidekick (optional)"', path.read_text()))
    operators = words(auth_client.get("/create/quick/hype-emotes/"))

    assert "Mascot (optional) A character" in shipped
    assert "Sidekick (optional) A character" in operators
