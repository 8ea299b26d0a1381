"""A Quick Create template's prompt and styles stay on the server: the creator sees the template's
name and their own words, on every page, in the API and in downloads."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from generation.models import GenerationJob
from library.models import Asset
from tests.factories import PlanGrantFactory

pytestmark = pytest.mark.django_db

# Words only the templates' prompts and vibe styles hold (starting-soon, channel-panels).
INTERNAL = ("focal motif", "calm background", "lofi", "channel info panel header", "cozy warm soft")


def leaks(text: str) -> list[str]:
    return [words for words in INTERNAL if words in text]


def zip_text(response) -> str:
    """Every name and every byte of text in a zip."""
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    parts = list(archive.namelist())
    for name in archive.namelist():
        data = archive.read(name)
        parts.append(data.decode("latin-1"))
    return "\n".join(parts)


@pytest.fixture
def made(auth_client, user, django_capture_on_commit_callbacks):
    """A starting-soon screen and the channel panels (a pack whose items carry no title field),
    both from templates."""

    PlanGrantFactory(user=user, plan="pro")
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/quick/starting-soon/", {"vibe": "cozy", "f_title": "Back soon"})
        auth_client.post("/create/quick/channel-panels/", {"vibe": "cozy", "f_game": "farming games"})
    jobs = list(GenerationJob.objects.order_by("created_at"))
    assert [job.status for job in jobs] == ["succeeded", "succeeded"]
    return jobs


def test_pages_show_the_template_not_its_prompt(auth_client, made):
    for job in made:
        page = auth_client.get(f"/create/jobs/{job.pk}/").content.decode()
        assert leaks(page) == [], job.template
    for asset in Asset.objects.all():
        page = auth_client.get(f"/library/assets/{asset.pk}/").content.decode()
        understood = auth_client.get(f"/create/assets/{asset.pk}/understood/").content.decode()
        assert leaks(page) == [], asset.title
        assert leaks(understood) == [], asset.title
        assert leaks(asset.title) == []
    asset = Asset.objects.get(source_job_id=made[0].pk)
    assert "Starting soon" in auth_client.get(f"/library/assets/{asset.pk}/").content.decode()
    for url in ("/create/", "/library/", "/dashboard/"):
        assert leaks(auth_client.get(url).content.decode()) == [], url


def test_the_api_shows_the_template_not_its_prompt(api_client, user, made):
    api_client.force_login(user)

    bodies = [api_client.get("/api/v1/generations/").content.decode()]
    bodies += [api_client.get(f"/api/v1/generations/{job.pk}/").content.decode() for job in made]
    bodies.append(api_client.get("/api/v1/assets/").content.decode())
    for asset in Asset.objects.all():
        bodies.append(api_client.get(f"/api/v1/assets/{asset.pk}/").content.decode())

    for body in bodies:
        assert leaks(body) == [], body[:300]
    detail = json.loads(bodies[1])
    assert detail["template"] == "starting-soon"


def test_downloads_carry_no_template_prompt(auth_client, made):
    pack = auth_client.get(f"/library/packs/{made[1].pk}/zip/")
    screen = Asset.objects.get(source_job_id=made[0].pk)
    single = auth_client.get(f"/library/assets/{screen.pk}/zip/")

    assert pack.status_code == single.status_code == 200
    assert leaks(zip_text(pack)) == []
    assert leaks(zip_text(single)) == []


def test_assets_made_before_are_cleaned_by_the_migration(auth_client, made):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("generation.migrations.0008_template_prompts_stay_on_the_server")
    panel = Asset.objects.filter(source_job_id=made[1].pk).first()
    item = made[1].items[panel.source_item]
    # As the asset was stored before: the template's prompt in its recipe, prompt and title.
    Asset.objects.filter(pk=panel.pk).update(
        prompt=item["prompt"],
        title=f"Twitch panel · {item['prompt'][:47]}…",
        recipe={**panel.recipe, "prompt": item["prompt"], "text": "", "reading": item.get("reading")},
    )

    migration.keep_template_prompts_on_the_server(apps, None)

    panel.refresh_from_db()
    assert leaks(panel.title) == []
    assert leaks(panel.prompt) == []
    assert leaks(json.dumps(panel.recipe)) == []
    assert panel.title == "Twitch panel · Channel panels"
    assert panel.recipe["template"] == {"key": "channel-panels", "name": "Channel panels"}
