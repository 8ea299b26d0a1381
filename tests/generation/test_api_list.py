"""GET /api/v1/generations/: the creator's jobs a page at a time, each in brief."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from generation.models import GenerationJob
from library.models import Asset
from tests.factories import RenditionFactory, make_assets
from workspaces.models import fill_workspaces

pytestmark = pytest.mark.django_db

URL = "/api/v1/generations/"
LONG_PROMPT = "a neon mascot fox holding a trophy over a rainy cyberpunk city, " * 15  # ~1,000 chars


def make_jobs(user, count, *, assets=3, start=None, step=dt.timedelta(seconds=1), **fields):
    """``count`` finished jobs of ``user``, one ``step`` apart from ``start`` (newest last), each
    with ``assets`` library assets of three files (an emote pack's worth): rows as the job service
    leaves them, made directly because rendering hundreds of assets would only slow the test
    down."""
    start = start or timezone.now() - count * step
    jobs = [
        GenerationJob(
            **{
                "user": user,
                "status": GenerationJob.Status.SUCCEEDED,
                "stage": GenerationJob.Stage.DONE,
                "progress": 100,
                "spec_key": "twitch.emote",
                "prompt": LONG_PROMPT,
                "text": "GG",
                "pack": GenerationJob.Pack.EMOTE_PACK if assets > 1 else GenerationJob.Pack.NONE,
                "seed": index,
                "items": [{"spec": "twitch.emote", "prompt": LONG_PROMPT, "seed": index}] * max(assets, 1),
                "brand_snapshot": {"colors": {"primary": "#8E24AA"}, "fonts": ["Inter"] * 20},
                "provider": "local",
                "model": "local-1",
                "cost": max(assets, 1),
                "finished_at": start + index * step,
                **fields,
            }
        )
        for index in range(count)
    ]
    fill_workspaces(jobs)
    GenerationJob.objects.bulk_create(jobs)
    for index, job in enumerate(jobs):
        job.created_at = start + index * step
    GenerationJob.objects.bulk_update(jobs, ["created_at"])
    made = make_assets(
        user,
        len(jobs) * assets,
        title="Twitch emote · GG",
        bytes=15_000,
        checks=[{"name": "dimensions", "ok": True, "detail": "112×112"}] * 6,
    )
    for asset, (job, item) in zip(made, itertools.product(jobs, range(assets)), strict=True):
        asset.source_job_id, asset.source_item = job.pk, item
    Asset.objects.bulk_update(made, ["source_job_id", "source_item"])
    return jobs


def walk(api_client, url):
    """Every page from ``url`` on, following ``next``: the pages' ids in order."""
    pages = []
    while url:
        response = api_client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([job["id"] for job in body["results"]])
        url = body["next"]
    return pages


def newest_first(jobs):
    return [str(job.pk) for job in sorted(jobs, key=lambda job: (job.created_at, job.pk), reverse=True)]


def cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


def test_pages_follow_next_to_the_end_newest_first_with_nothing_repeated_or_missed(api_client, user):
    jobs = make_jobs(user, 45, assets=1)
    api_client.force_login(user)

    pages = walk(api_client, URL)

    assert [len(page) for page in pages] == [20, 20, 5]
    assert [job_id for page in pages for job_id in page] == newest_first(jobs)


def test_previous_goes_back_over_the_same_pages(api_client, user):
    make_jobs(user, 25, assets=0)
    api_client.force_login(user)
    first = api_client.get(URL, {"page_size": 10}).json()
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()

    back = api_client.get(third["previous"]).json()
    again = api_client.get(back["previous"]).json()

    assert first["previous"] is None
    assert third["next"] is None
    assert [job["id"] for job in back["results"]] == [job["id"] for job in second["results"]]
    assert [job["id"] for job in again["results"]] == [job["id"] for job in first["results"]]


def test_jobs_made_in_the_same_instant_are_neither_repeated_nor_missed(api_client, user):
    # A burst (a pack retried, an import): every job has the same created_at.
    jobs = make_jobs(user, 33, assets=0, step=dt.timedelta(0))
    api_client.force_login(user)

    pages = walk(api_client, f"{URL}?page_size=10")

    assert [len(page) for page in pages] == [10, 10, 10, 3]
    assert [job_id for page in pages for job_id in page] == newest_first(jobs)


def test_jobs_made_while_a_client_pages_do_not_shift_the_pages_it_has_not_read(api_client, user):
    jobs = make_jobs(user, 25, assets=1)
    api_client.force_login(user)
    first = api_client.get(URL, {"page_size": 10}).json()

    newer = make_jobs(user, 3, assets=1, start=timezone.now())
    rest = walk(api_client, first["next"])

    seen = [job["id"] for job in first["results"]] + [job_id for page in rest for job_id in page]
    assert seen == newest_first(jobs)
    # Going back from the second page reaches the new jobs, and a fresh list starts with them.
    back = api_client.get(api_client.get(first["next"]).json()["previous"]).json()
    assert [job["id"] for job in back["results"]] == [job["id"] for job in first["results"]]
    assert back["previous"] is not None
    top = [job["id"] for job in api_client.get(URL).json()["results"][:3]]
    assert top == newest_first(newer)


def test_another_creators_jobs_never_appear(api_client, user, other_user):
    start = timezone.now() - dt.timedelta(hours=1)
    mine = make_jobs(user, 30, assets=1, start=start, step=dt.timedelta(seconds=2))
    # Another creator's jobs interleave with mine in time.
    theirs = make_jobs(
        other_user, 30, assets=1, start=start + dt.timedelta(seconds=1), step=dt.timedelta(seconds=2)
    )
    api_client.force_login(user)

    pages = walk(api_client, f"{URL}?page_size=7")

    assert [job_id for page in pages for job_id in page] == newest_first(mine)
    assert not {str(job.pk) for job in theirs} & {job_id for page in pages for job_id in page}


def test_each_job_is_in_brief_with_where_to_read_the_rest(
    api_client, user, django_capture_on_commit_callbacks
):
    from generation import services
    from generation.services import JobRequest

    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.job_create(
            user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG" fox')
        )
    api_client.force_login(user)

    body = api_client.get(URL).json()

    assert set(body) == {"next", "previous", "results"}
    (item,) = body["results"]
    assert item["id"] == str(job.pk)
    assert (item["status"], item["stage"], item["progress"], item["error"]) == ("succeeded", "done", 100, "")
    assert (item["spec_key"], item["pack"], item["variants"], item["cost"]) == ("twitch.emote", "", 1, 1)
    assert item["asset_count"] == 1
    assert item["title"] == '"GG" fox'
    assert item["created_at"] <= item["finished_at"]
    assert not any(isinstance(value, (list, dict)) for value in item.values())
    detail = api_client.get(item["url"])
    assert detail.status_code == 200
    assert len(detail.json()["assets"]) == 1
    # The thumbnail is a small WebP of the emote's largest file (none is 128 px wide), shown inline.
    asset_id = detail.json()["assets"][0]["id"]
    assert f"/library/assets/{asset_id}/files/112/thumbnail-" in item["thumbnail_url"]
    thumbnail = api_client.get(item["thumbnail_url"])
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/webp"
    assert "attachment" not in thumbnail.get("Content-Disposition", "")
    assert "immutable" in thumbnail["Cache-Control"]


def test_the_thumbnail_is_the_first_assets_smallest_file_at_least_128_px(api_client, user):
    (job,) = make_jobs(user, 1, assets=2)
    first = Asset.objects.get(source_job_id=job.pk, source_item=0)
    RenditionFactory(asset=first, width=160)
    RenditionFactory(asset=first, width=480)
    api_client.force_login(user)

    (item,) = api_client.get(URL).json()["results"]

    assert f"/library/assets/{first.pk}/files/160/thumbnail-" in item["thumbnail_url"]
    assert item["asset_count"] == 2


def test_a_queued_job_has_no_thumbnail_and_a_deleted_asset_is_not_counted(api_client, user):
    (queued,) = make_jobs(user, 1, assets=0, start=timezone.now() - dt.timedelta(minutes=5))
    GenerationJob.objects.filter(pk=queued.pk).update(
        status="queued", stage="queued", progress=0, finished_at=None, text="", prompt="  a   cosy\nbanner  "
    )
    (made,) = make_jobs(user, 1, assets=2)
    Asset.objects.filter(source_job_id=made.pk).update(deleted_at=timezone.now())
    api_client.force_login(user)

    made_item, queued_item = api_client.get(URL).json()["results"]

    assert (queued_item["status"], queued_item["asset_count"]) == ("queued", 0)
    assert queued_item["thumbnail_url"] is None
    assert queued_item["finished_at"] is None
    assert queued_item["title"] == "a cosy banner"
    assert (made_item["asset_count"], made_item["thumbnail_url"]) == (0, None)


def test_a_failed_job_says_why_and_a_long_prompt_is_cut(api_client, user):
    make_jobs(user, 1, assets=0, status="failed", error="The image service is busy. Try again.")
    GenerationJob.objects.update(text="")
    api_client.force_login(user)

    (item,) = api_client.get(URL).json()["results"]

    assert item["error"] == "The image service is busy. Try again."
    assert len(item["title"]) == 60
    assert item["title"].endswith("…")
    assert LONG_PROMPT.startswith(item["title"][:-1])


def test_the_query_count_does_not_grow_with_the_page(api_client, user):
    api_client.force_login(user)
    make_jobs(user, 5, assets=3)
    api_client.get(URL)  # the session and the plan, once

    with CaptureQueriesContext(connection) as five:
        assert len(api_client.get(URL, {"page_size": 100}).json()["results"]) == 5
    make_jobs(user, 45, assets=3, start=timezone.now())
    with CaptureQueriesContext(connection) as fifty:
        assert len(api_client.get(URL, {"page_size": 100}).json()["results"]) == 50

    assert len(fifty) == len(five)
    # One reads the jobs with their asset counts, one their thumbnails' files.
    sql = [query["sql"] for query in fifty.captured_queries]
    assert sum("generation_generationjob" in query for query in sql) == 1
    assert sum("library_rendition" in query for query in sql) == 1


def test_a_full_page_stays_small_for_a_creator_with_many_jobs(api_client, user, settings):
    # No words to set, so each title is the prompt cut to its longest.
    make_jobs(user, 120, assets=3, text="")
    api_client.force_login(user)
    # Its URLs are absolute: measured with a production-length host name.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app.aurastream.example"]

    response = api_client.get(URL, {"page_size": 100}, HTTP_HOST="app.aurastream.example")

    assert len(response.json()["results"]) == 100
    assert len(response.content) <= 64 * 1024


def test_page_size_is_capped_at_100(api_client, user):
    make_jobs(user, 105, assets=0)
    api_client.force_login(user)

    body = api_client.get(URL, {"page_size": 1000}).json()

    assert len(body["results"]) == 100
    assert len(api_client.get(body["next"]).json()["results"]) == 5


@pytest.mark.parametrize("page_size", ["abc", "0", "-3", "1.5", "", "9" * 5000])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(api_client, user, page_size):
    api_client.force_login(user)

    response = api_client.get(URL, {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        cursor("p=yesterday"),
        cursor("p=2026-13-45 10:00:00+00:00"),
        cursor("p=2026-01-01 10:00:00"),  # no time zone
        cursor("p=0001-01-01 00:00:00+23:00"),
        cursor("p=9999-12-31 23:59:59-23:00"),
        cursor("p=2026-01-01\x0010:00:00+00:00"),
        cursor("o=-1"),
        cursor("o=x"),
        cursor("r=maybe"),
        "w6k=",  # base64 of a non-ASCII character
    ],
)
def test_a_cursor_the_api_did_not_make_is_a_404(api_client, user, value):
    make_jobs(user, 3, assets=1)
    api_client.force_login(user)

    response = api_client.get(f"{URL}?{urlencode({'cursor': value})}")

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"


def test_the_schema_documents_the_page_and_the_brief_items(api_client):
    schema = json.loads(api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content)

    operation = schema["paths"]["/api/v1/generations/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"cursor", "page_size"}
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"next", "previous", "results"}
    item = schema["components"]["schemas"]["GenerationJobSummary"]
    assert "assets" not in item["properties"]
    assert item["properties"]["thumbnail_url"]["nullable"] is True


def test_a_page_of_every_kind_of_job_matches_the_schema(api_client, user):
    import requests
    import schemathesis

    make_jobs(user, 2, assets=3)
    make_jobs(user, 1, assets=0, status="queued", stage="queued", progress=0, finished_at=None)
    make_jobs(user, 1, assets=0, status="failed", error="The image service is busy. Try again.")
    api_client.force_login(user)
    schema = schemathesis.openapi.from_dict(
        json.loads(api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content)
    )
    url = f"http://testserver{URL}?page_size=3"
    response = api_client.get(url)
    assert response.json()["next"]

    schema["/api/v1/generations/"]["GET"].validate_response(
        schemathesis.Response(
            status_code=response.status_code,
            headers={key: [value] for key, value in response.headers.items()},
            content=response.content,
            request=requests.Request("GET", url).prepare(),
            elapsed=0.0,
            verify=False,
        )
    )
