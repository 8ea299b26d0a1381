"""Platform connections over the API (signed in the way row-level security sees: force_login)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from connections.models import Connection
from library.models import Publication
from tests.factories import AssetFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_api_connects_lists_publishes_and_disconnects(
    api_client, pro, fake, django_capture_on_commit_callbacks
):
    api_client.force_login(pro)
    started = api_client.post(reverse("api-connection-start", args=["youtube"]))
    assert started.status_code == 200
    back = dict(parse_qsl(urlsplit(fake.approve(started.json()["authorize_url"])).query))
    finished = api_client.post(
        reverse("api-connection-finish", args=["youtube"]),
        {"code": back["code"], "state": back["state"]},
        format="json",
    )
    assert finished.status_code == 201
    connection_id = finished.json()["id"]
    assert "access_token" not in finished.json()

    listed = api_client.get(reverse("api-connections")).json()
    assert [c["display_name"] for c in listed["results"]] == ["Night Owl"]
    assert listed["allowance"] == {"limit": 3, "used": 1, "may_connect": True}

    videos = api_client.get(reverse("api-connection-videos", args=[connection_id])).json()["results"]
    thumbnail = AssetFactory(owner=pro, platform="youtube", asset_type="thumbnail", sizes=(1280,))
    published = api_client.post(
        reverse("api-asset-publish", args=[thumbnail.pk]),
        {"connection": connection_id, "video": videos[0]["id"]},
        format="json",
    )
    assert published.status_code == 201
    assert published.json()["target_id"] == videos[0]["id"]
    assert Publication.objects.filter(asset=thumbnail).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.delete(reverse("api-connection", args=[connection_id])).status_code == 204
    assert not Connection.objects.exists()
    assert fake.revoked


def test_the_api_refuses_over_the_plan_with_an_upgrade_url(api_client, user, fake):
    api_client.force_login(user)
    Connection.objects.create(owner=user, provider="kick", account_id="1", display_name="x", access_token="t")
    answer = api_client.post(reverse("api-connection-start", args=["twitch"]))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "plan_limit"
    assert answer.json()["error"]["upgrade_url"].endswith("/pricing/")


def test_another_creators_connection_is_a_404_in_the_api(api_client, fake):
    theirs = Connection.objects.create(
        owner=UserFactory(), provider="twitch", account_id="1", display_name="x", access_token="t"
    )
    api_client.force_login(UserFactory())
    assert api_client.get(reverse("api-connection", args=[theirs.pk])).status_code == 404
    assert api_client.delete(reverse("api-connection", args=[theirs.pk])).status_code == 404
    assert Connection.objects.filter(pk=theirs.pk).exists()


def test_a_platform_that_is_down_is_a_503_in_the_api(api_client, pro, fake):
    api_client.force_login(pro)
    connection = Connection.objects.create(
        owner=pro, provider="youtube", account_id="UC1", display_name="x", access_token="t", refresh_token="r"
    )
    fake.fail_next("/youtube/v3/channels", 503)
    answer = api_client.get(reverse("api-connection-videos", args=[connection.pk]))
    assert answer.status_code == 503
    assert answer["Retry-After"]
    assert "Nothing was changed" in answer.json()["error"]["message"]
