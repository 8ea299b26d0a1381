"""API keys over the API: made once, kept hashed, scoped, revocable, expiring, rate-limited."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from billing.models import PlanGrant
from developers.models import ApiKey
from tests.factories import AssetFactory, PlanGrantFactory, UserFactory
from workspaces import services as workspaces
from workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db


def keyed(key: str, **headers: str) -> APIClient:
    client = APIClient(**headers)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_key_is_shown_once_and_only_its_hash_is_stored(api_client, pro):
    api_client.force_login(pro)
    made = api_client.post(
        "/api/v1/keys/",
        {"name": "OBS script", "scopes": ["read", "generate"], "expires_in_days": 30},
        format="json",
    )
    assert made.status_code == 201, made.content
    key = made.json()["key"]
    assert key.startswith("as_live_")
    assert len(key) > 40
    assert made.json()["shown"] == key[:12]
    assert made.json()["scopes"] == ["read", "generate"]

    listed = api_client.get("/api/v1/keys/").json()["results"]
    assert [k["name"] for k in listed] == ["OBS script"]
    assert "key" not in listed[0]
    assert key not in str(listed)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM developers_apikey")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert key not in str(rows)
    assert key[12:] not in str(rows)
    assert ApiKey.objects.get().key_hash != key


def test_a_read_only_key_lists_assets_but_may_not_generate(pro, make_key):
    AssetFactory(owner=pro)
    _, key = make_key(pro, scopes=["read"])
    client = keyed(key)

    assets = client.get("/api/v1/assets/")
    assert assets.status_code == 200
    assert assets.json()["count"] == 1

    refused = client.post("/api/v1/generations/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == 403
    assert "generate" in refused.json()["error"]["message"]


def test_a_generate_key_reaches_the_generate_endpoint_but_not_the_library(pro, make_key):
    asset = AssetFactory(owner=pro)
    _, key = make_key(pro, scopes=["generate"])
    client = keyed(key)

    assert client.post("/api/v1/generations/", {}, format="json").status_code == 400  # past the scope check
    assert client.get("/api/v1/assets/").status_code == 403  # no read
    assert client.delete(f"/api/v1/assets/{asset.pk}/").status_code == 403  # no library_write


def test_unsafe_methods_on_views_that_name_no_scope_are_refused_to_keys(pro, make_key):
    _, key = make_key(pro, scopes=["read", "generate", "library_write"])
    client = keyed(key)
    assert client.get("/api/v1/billing/").status_code == 200
    assert client.post("/api/v1/billing/portal/", {}, format="json").status_code == 403
    # Keys never manage keys, not even to list them.
    assert client.get("/api/v1/keys/").status_code == 403
    assert client.post("/api/v1/keys/", {"name": "x", "scopes": ["read"]}, format="json").status_code == 403


def test_a_revoked_key_is_refused_with_401(api_client, pro, make_key):
    api_key, key = make_key(pro)
    assert keyed(key).get("/api/v1/assets/").status_code == 200

    api_client.force_login(pro)
    assert api_client.delete(f"/api/v1/keys/{api_key.pk}/").status_code == 204

    refused = keyed(key).get("/api/v1/assets/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_key_is_refused_with_401(pro, make_key):
    api_key, key = make_key(pro, expires_in_days=30)
    ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert keyed(key).get("/api/v1/assets/").status_code == 401


def test_an_unknown_key_is_refused_and_jwts_still_work(api_client, pro, password):
    assert keyed("as_live_" + "x" * 43).get("/api/v1/assets/").status_code == 401

    tokens = api_client.post("/api/v1/auth/token/", {"email": pro.email, "password": password}, format="json")
    client = keyed(tokens.json()["access"])
    assert client.get("/api/v1/assets/").status_code == 200
    assert client.get("/api/v1/keys/").status_code == 200  # a JWT manages keys


def test_a_key_never_appears_in_the_logs(pro, make_key, caplog):
    _api_key, key = make_key(pro)
    with caplog.at_level(logging.DEBUG):
        keyed(key).post("/api/v1/generations/", {}, format="json")  # 403
        keyed(key + "x").get("/api/v1/assets/")  # 401
        keyed(key).get("/api/v1/assets/not-an-asset/")  # 404
    assert caplog.records
    assert key not in caplog.text
    assert all(key not in repr(record.__dict__) for record in caplog.records)


def test_each_key_has_its_own_rate_limit(pro, make_key, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_key": "2/min"},
    }
    _, first = make_key(pro)
    _, second = make_key(pro)

    answers = [keyed(first).get("/api/v1/assets/").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert keyed(second).get("/api/v1/assets/").status_code == 200


def test_an_address_that_keeps_presenting_wrong_keys_is_held_off(pro, make_key, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "api_key_refused": "3/min",
        },
    }
    _, key = make_key(pro)
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    guesser.credentials(HTTP_AUTHORIZATION="Bearer as_live_" + "x" * 43)

    answers = [guesser.get("/api/v1/assets/").status_code for _ in range(4)]

    assert answers == [401, 401, 401, 429]
    held = guesser.get("/api/v1/assets/")
    assert held.json()["error"]["message"].startswith("Too many API keys were refused from this address.")
    assert 0 < int(held["Retry-After"]) <= 60
    # Even a right key waits from that address.
    guesser.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert guesser.get("/api/v1/assets/").status_code == 429
    # Another address, and good keys, are untouched.
    assert keyed(key).get("/api/v1/assets/").status_code == 200
    other = APIClient(REMOTE_ADDR="198.51.100.4")
    other.credentials(HTTP_AUTHORIZATION="Bearer as_live_" + "y" * 43)
    assert other.get("/api/v1/assets/").status_code == 401


def test_use_is_recorded_with_the_network_not_the_address(pro, make_key):
    api_key, key = make_key(pro)
    keyed(key, REMOTE_ADDR="203.0.113.77").get("/api/v1/assets/")
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None
    assert api_key.last_used_ip_prefix == "203.0.113.0/24"

    # Within the minute nothing is written again.
    keyed(key, REMOTE_ADDR="198.51.100.1").get("/api/v1/assets/")
    api_key.refresh_from_db()
    assert api_key.last_used_ip_prefix == "203.0.113.0/24"


def test_free_creators_cannot_make_keys(api_client, user):
    api_client.force_login(user)
    refused = api_client.post("/api/v1/keys/", {"name": "x", "scopes": ["read"]}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "plan_limit"
    assert "Pro" in refused.json()["error"]["message"]
    assert not ApiKey.objects.exists()


def test_another_creators_key_is_a_404(api_client, pro, make_key):
    other = UserFactory()
    api_key, key = make_key(pro)
    api_client.force_login(other)
    assert api_client.delete(f"/api/v1/keys/{api_key.pk}/").status_code == 404
    assert keyed(key).get("/api/v1/assets/").status_code == 200


def test_the_key_acts_for_its_workspace(pro, make_key):
    api_key, key = make_key(pro)
    assert api_key.workspace.owner_id == pro.pk
    assert api_key.workspace.is_personal
    me = keyed(key).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == pro.email


def test_downloads_take_a_key_with_read_and_refuse_one_without(pro, make_key):
    asset = AssetFactory(owner=pro)
    _, reader = make_key(pro, scopes=["read"])
    _, generator = make_key(pro, scopes=["generate"])
    listed = keyed(reader).get("/api/v1/assets/").json()["results"]
    download_url = listed[0]["renditions"][0]["download_url"]
    assert str(asset.pk) in listed[0]["id"]

    downloaded = keyed(reader).get(download_url)
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content if downloaded.streaming else [downloaded.content])
    assert keyed(generator).get(download_url).status_code == 401
    assert keyed(reader + "x").get(download_url).status_code == 401


def test_a_key_stops_when_its_plan_lapses(pro, make_key):
    _, key = make_key(pro)
    PlanGrant.objects.filter(user=pro).delete()
    refused = keyed(key).get("/api/v1/assets/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "plan_limit"


def test_a_key_stops_when_its_maker_leaves_the_team(studio, make_key):
    member = UserFactory()
    PlanGrantFactory(user=member, plan="pro")
    team = workspaces.team_create(owner=studio, name="Night Crew")
    membership = Membership.objects.create(workspace=team, user=member, role=Role.EDITOR)
    _, key = make_key(member, workspace=team)
    assert keyed(key).get("/api/v1/assets/").status_code == 200

    membership.delete()
    assert keyed(key).get("/api/v1/assets/").status_code == 401
