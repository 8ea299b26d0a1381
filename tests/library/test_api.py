"""The library over the API: lists with filters, editing, sharing, delete/restore, collections."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from generation import services as generation
from generation.services import JobRequest
from library import services
from library.models import Asset
from tests.factories import AssetFactory, PlanGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client: APIClient, user) -> APIClient:
    api_client.force_login(user)
    return api_client


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def test_a_generated_asset_is_listed_with_its_files_and_expiry(
    api, user, password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        generation.job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=5))

    response = api.get("/api/v1/assets/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    asset = body["results"][0]
    assert (asset["platform"], asset["asset_type"], asset["visibility"]) == ("twitch", "emote", "private")
    assert asset["share_url"] is None
    assert asset["expires_at"] is not None  # Free plan: kept 30 days
    assert [r["label"] for r in asset["renditions"]] == ["112", "56", "28"]
    assert asset["renditions"][0]["download_url"].startswith("http://testserver/library/assets/")
    assert asset["zip_url"] == f"http://testserver/library/assets/{asset['id']}/zip/"
    # The links work with the same bearer token.
    token = (
        APIClient()
        .post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")
        .json()["access"]
    )
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.get(asset["renditions"][2]["download_url"]).status_code == 200
    zipped = bearer.get(asset["zip_url"])
    assert zipped.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert len(archive.namelist()) == 3


def test_filters_mirror_the_library_page(api, user, other_user):
    kit_asset = AssetFactory(
        owner=user,
        title="Ranked grind thumbnail",
        platform="youtube",
        asset_type="thumbnail",
        sizes=(64,),
        brand_kit_id=7,
        prompt="neon arena",
    )
    emote = AssetFactory(owner=user, title="GG emote", sizes=(28,), favourite=True)
    old = AssetFactory(owner=user, title="Old badge", asset_type="sub_badge", sizes=(18,))
    Asset.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    AssetFactory(owner=other_user, title="GG emote of someone else", sizes=(28,))
    folder = services.collection_create(user=user, name="Season 4")
    services.asset_update(asset=emote, collection_id=folder.pk, tags=["hype"])
    today = timezone.now().date()

    assert ids(api.get("/api/v1/assets/")) == [str(emote.pk), str(kit_asset.pk), str(old.pk)]
    assert ids(api.get("/api/v1/assets/", {"platform": "youtube"})) == [str(kit_asset.pk)]
    assert ids(api.get("/api/v1/assets/", {"asset_type": "sub_badge"})) == [str(old.pk)]
    assert ids(api.get("/api/v1/assets/", {"brand_kit": 7})) == [str(kit_asset.pk)]
    assert ids(api.get("/api/v1/assets/", {"collection": folder.pk})) == [str(emote.pk)]
    assert ids(api.get("/api/v1/assets/", {"tag": "HYPE"})) == [str(emote.pk)]
    assert ids(api.get("/api/v1/assets/", {"favourite": "true"})) == [str(emote.pk)]
    assert ids(api.get("/api/v1/assets/", {"q": "arena"})) == [str(kit_asset.pk)]
    assert ids(api.get("/api/v1/assets/", {"q": "gg"})) == [str(emote.pk)]
    assert ids(api.get("/api/v1/assets/", {"created_to": str(today - dt.timedelta(days=30))})) == [
        str(old.pk)
    ]
    assert len(ids(api.get("/api/v1/assets/", {"created_from": str(today)}))) == 2
    assert ids(api.get("/api/v1/assets/", {"sort": "oldest"}))[0] == str(old.pk)
    assert ids(api.get("/api/v1/assets/", {"sort": "title"}))[0] == str(emote.pk)
    emote_row = api.get("/api/v1/assets/", {"tag": "hype"}).json()["results"][0]
    assert (emote_row["collection"], emote_row["tags"], emote_row["favourite"]) == (folder.pk, ["hype"], True)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "random"}, "sort"),
        ({"brand_kit": "seven"}, "brand_kit"),
        ({"collection": "-1"}, "collection"),
        ({"favourite": "maybe"}, "favourite"),
        ({"created_from": "last week"}, "created_from"),
        ({"created_from": "2026-03-02", "created_to": "2026-03-01"}, "created_to"),
    ],
)
def test_bad_filter_values_answer_400_naming_the_field(api, params, field):
    response = api.get("/api/v1/assets/", params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert field in error["fields"]


def test_the_list_is_paginated(api, user):
    for n in range(5):
        AssetFactory(owner=user, title=f"Emote {n}", sizes=(28,))

    first = api.get("/api/v1/assets/", {"page_size": 2}).json()
    last = api.get("/api/v1/assets/", {"page_size": 2, "page": 3}).json()
    beyond = api.get("/api/v1/assets/", {"page_size": 2, "page": 9})

    assert (first["count"], len(first["results"]), first["previous"]) == (5, 2, None)
    assert "page=2" in first["next"]
    assert (len(last["results"]), last["next"]) == (1, None)
    assert beyond.status_code == 404
    assert beyond.json()["error"]["code"] == "not_found"


def test_patch_renames_retags_files_and_favourites(api, user):
    asset = AssetFactory(owner=user)
    folder = services.collection_create(user=user, name="Emotes")

    response = api.patch(
        f"/api/v1/assets/{asset.pk}/",
        {"title": " Hype  cat ", "tags": ["Hype", "#cats"], "collection": folder.pk, "favourite": True},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["collection"], body["favourite"]) == ("Hype cat", folder.pk, True)
    assert body["tags"] == ["cats", "hype"]

    cleared = api.patch(f"/api/v1/assets/{asset.pk}/", {"collection": None}, format="json").json()
    assert (cleared["collection"], cleared["tags"], cleared["favourite"]) == (None, ["cats", "hype"], True)


def test_patch_visibility_shares_keeps_and_revokes_the_link(api, user):
    asset = AssetFactory(owner=user)
    url = f"/api/v1/assets/{asset.pk}/"

    public = api.patch(url, {"visibility": "public"}, format="json").json()
    again = api.patch(url, {"visibility": "public", "title": "Still public"}, format="json").json()
    asset.refresh_from_db()
    token = asset.share_token

    assert public["visibility"] == "public"
    assert public["share_url"] == f"http://testserver/s/{token}/"
    assert again["share_url"] == public["share_url"]
    assert public["share_views"] == 0

    rotated = api.post(f"/api/v1/assets/{asset.pk}/share/rotate/").json()
    assert rotated["share_url"] not in (None, public["share_url"])

    private = api.patch(url, {"visibility": "private"}, format="json").json()
    assert (private["visibility"], private["share_url"]) == ("private", None)
    refused = api.post(f"/api/v1/assets/{asset.pk}/share/rotate/")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"non_field_errors": ["Share the asset first."]}


def test_a_taken_down_asset_refuses_public_and_keeps_the_other_changes_out(api, user):
    asset = services.asset_takedown(asset=AssetFactory(owner=user, title="Original"))

    response = api.patch(
        f"/api/v1/assets/{asset.pk}/", {"title": "Renamed", "visibility": "public"}, format="json"
    )

    assert response.status_code == 400
    assert "taken down" in response.json()["error"]["fields"]["visibility"][0]
    asset.refresh_from_db()
    assert (asset.title, asset.visibility) == ("Original", "private")
    assert api.get(f"/api/v1/assets/{asset.pk}/").json()["taken_down"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "  "}, "title"),
        ({"tags": "not a list"}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"collection": 999999}, "collection"),
        ({"collection": "first"}, "collection"),
        ({"favourite": "sometimes"}, "favourite"),
        ({"visibility": "friends"}, "visibility"),
    ],
)
def test_patch_answers_bad_values_with_400_and_the_field(api, user, payload, field):
    asset = AssetFactory(owner=user, sizes=(28,))

    response = api.patch(f"/api/v1/assets/{asset.pk}/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_delete_then_restore(api, user):
    asset = AssetFactory(owner=user, sizes=(28,))
    services.asset_update(asset=asset, tags=["keep"])

    deleted = api.delete(f"/api/v1/assets/{asset.pk}/")
    assert deleted.status_code == 204
    assert api.get(f"/api/v1/assets/{asset.pk}/").status_code == 404
    assert api.get("/api/v1/assets/").json()["count"] == 0

    restored = api.post(f"/api/v1/assets/{asset.pk}/restore/")
    assert restored.status_code == 200
    assert restored.json()["tags"] == ["keep"]
    assert api.get("/api/v1/assets/").json()["count"] == 1
    assert api.post(f"/api/v1/assets/{asset.pk}/restore/").status_code == 404  # nothing to undo


def test_collections_crud(api, user):
    created = api.post("/api/v1/collections/", {"name": "  Ranked   season "}, format="json")
    assert created.status_code == 201
    collection = created.json()
    assert (collection["name"], collection["asset_count"]) == ("Ranked season", 0)
    AssetFactory(owner=user, sizes=(28,), collection_id=collection["id"])
    url = f"/api/v1/collections/{collection['id']}/"

    duplicate = api.post("/api/v1/collections/", {"name": "ranked season"}, format="json")
    blank = api.post("/api/v1/collections/", {"name": ""}, format="json")
    renamed = api.patch(url, {"name": "Ranked S5"}, format="json")
    listed = api.get("/api/v1/collections/").json()

    assert duplicate.status_code == 400
    assert "already have" in duplicate.json()["error"]["fields"]["name"][0]
    assert blank.json()["error"]["fields"] == {"name": ["Give the collection a name."]}
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["asset_count"]) == ("Ranked S5", 1)
    assert [(c["name"], c["asset_count"]) for c in listed] == [("Ranked S5", 1)]
    assert api.get(url).json()["asset_count"] == 1

    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert api.get("/api/v1/assets/").json()["results"][0]["collection"] is None


def test_usage_reports_storage_count_and_retention(api, user):
    asset = AssetFactory(owner=user, sizes=(56, 28))
    AssetFactory(owner=user, sizes=(28,))
    expected = sum(r.bytes for a in Asset.objects.filter(owner=user) for r in a.renditions.all())

    free = api.get("/api/v1/library/usage/").json()
    PlanGrantFactory(user=user, plan="pro")
    services.assets_delete(user=user, asset_ids=[asset.pk])
    pro = api.get("/api/v1/library/usage/").json()

    assert free == {"storage_bytes": expected, "asset_count": 2, "retention_days": 30}
    assert pro == {"storage_bytes": expected, "asset_count": 1, "retention_days": None}


def test_another_creators_objects_are_404_everywhere(api, user, other_user):
    asset = AssetFactory(owner=other_user, sizes=(28,))
    deleted = AssetFactory(owner=other_user, sizes=(28,))
    services.assets_delete(user=other_user, asset_ids=[deleted.pk])
    collection = services.collection_create(user=other_user, name="Theirs")
    asset_url, collection_url = f"/api/v1/assets/{asset.pk}/", f"/api/v1/collections/{collection.pk}/"

    responses = [
        api.get(asset_url),
        api.patch(asset_url, {"title": "Mine now"}, format="json"),
        api.delete(asset_url),
        api.post(f"/api/v1/assets/{deleted.pk}/restore/"),
        api.post(f"{asset_url}share/rotate/"),
        api.get(collection_url),
        api.patch(collection_url, {"name": "Mine now"}, format="json"),
        api.delete(collection_url),
        api.get(f"/api/v1/assets/{uuid.uuid4()}/"),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert responses[0].json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/assets/").json()["count"] == 0
    assert api.get("/api/v1/collections/").json() == []
    asset.refresh_from_db()
    collection.refresh_from_db()
    assert (asset.title, asset.deleted_at, collection.name) == ("Neon cat emote", None, "Theirs")
    mine = AssetFactory(owner=user, sizes=(28,))
    moved = api.patch(f"/api/v1/assets/{mine.pk}/", {"collection": collection.pk}, format="json")
    assert moved.status_code == 400  # their collection cannot hold my asset


def test_the_library_api_needs_authentication(api_client):
    assert api_client.get("/api/v1/assets/").status_code == 401
    assert api_client.get("/api/v1/collections/").status_code == 401
    assert api_client.get("/api/v1/library/usage/").status_code == 401


def test_the_schema_documents_the_library_and_still_validates():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)

    schema = out.getvalue()
    for path in (
        "/api/v1/assets/",
        "/api/v1/assets/{asset_id}/",
        "/api/v1/assets/{asset_id}/restore/",
        "/api/v1/assets/{asset_id}/share/rotate/",
        "/api/v1/collections/{collection_id}/",
        "/api/v1/library/usage/",
    ):
        assert path in schema
    assert "PaginatedAssetList" in schema


def test_a_page_costs_the_same_queries_however_many_assets(api, user, django_assert_max_num_queries):
    for n in range(12):
        asset = AssetFactory(owner=user, title=f"Emote {n}", sizes=(56, 28))
        services.asset_update(asset=asset, tags=["hype", f"n{n}"])

    # The session and its user included, and the signed markers naming who the request acts
    # for (aurastream.db: three queries in a test, whose own transaction is the outer one).
    with django_assert_max_num_queries(13):
        response = api.get("/api/v1/assets/")

    assert len(response.json()["results"]) == 12
