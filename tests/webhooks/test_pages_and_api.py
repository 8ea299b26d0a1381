"""The Webhooks pages and API: adding an endpoint, its secret, rotating, a test event,
switching off, deleting, the delivery log and redelivering; only a workspace's admins."""

from __future__ import annotations

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from tests.factories import UserFactory
from webhooks import services
from webhooks.models import Delivery, Endpoint
from workspaces.models import Membership, Role, Workspace, personal_workspace_id
from workspaces.services import team_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(studio):
    return team_create(owner=studio, name="Night Owls")


def member(team, role: str):
    user = UserFactory()
    Membership.objects.create(workspace=team, user=user, role=role)
    return user


def test_adding_an_endpoint_revealing_its_secret_and_sending_a_test_event(
    auth_client, user, receiver, django_capture_on_commit_callbacks
):
    workspace_id = personal_workspace_id(user.pk)
    assert auth_client.get(reverse("webhooks:home"))["Location"] == reverse(
        "webhooks:list", args=[workspace_id]
    )
    page = auth_client.get(reverse("webhooks:list", args=[workspace_id]))
    assert "No endpoints yet." in page.content.decode()

    added = auth_client.post(
        reverse("webhooks:list", args=[workspace_id]),
        {"url": receiver.url, "description": "Discord bot", "event_types": ["job.succeeded", "job.failed"]},
    )
    endpoint = Endpoint.objects.get()
    assert added["Location"] == reverse("webhooks:detail", args=[workspace_id, endpoint.pk])
    assert (endpoint.description, endpoint.event_types) == ("Discord bot", ["job.succeeded", "job.failed"])
    secret = services.secret_current(endpoint)
    detail = auth_client.get(added["Location"]).content.decode()
    assert secret not in detail
    assert "Reveal secret" in detail
    assert (
        secret
        in auth_client.get(reverse("webhooks:secret", args=[workspace_id, endpoint.pk])).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(reverse("webhooks:test", args=[workspace_id, endpoint.pk]))
    (call,) = receiver.calls
    assert Webhook(secret).verify(call.body, call.headers)["type"] == "webhook.test"
    log = auth_client.get(added["Location"]).content.decode()
    assert "webhook.test" in log
    assert "Succeeded" in log
    assert "200" in log


def test_rotating_shows_the_new_secret_and_says_the_old_one_still_signs(auth_client, user, receiver):
    endpoint = services.endpoint_create(
        workspace=Workspace.objects.get(pk=personal_workspace_id(user.pk)), url=receiver.url, created_by=user
    )
    old = services.secret_current(endpoint)
    page = auth_client.post(
        reverse("webhooks:rotate", args=[endpoint.workspace_id, endpoint.pk])
    ).content.decode()
    new = services.secret_current(endpoint)
    assert new != old
    assert new in page
    assert old not in page
    assert "The previous secret also signs every message until" in page


def test_switching_off_redelivering_and_deleting(
    auth_client, user, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 200]
    endpoint = services.endpoint_create(
        workspace=Workspace.objects.get(pk=personal_workspace_id(user.pk)), url=receiver.url, created_by=user
    )
    workspace_id = endpoint.workspace_id
    auth_client.post(reverse("webhooks:toggle", args=[workspace_id, endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert (
        "switched off"
        in auth_client.get(reverse("webhooks:detail", args=[workspace_id, endpoint.pk])).content.decode()
    )
    auth_client.post(reverse("webhooks:toggle", args=[workspace_id, endpoint.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_emit(
            workspace_id=workspace_id, type="asset.deleted", data={"id": "a", "title": "x"}
        )
    first = Delivery.objects.get(event=event)
    assert first.status == "pending"
    assert first.last_status_code == 500
    Delivery.objects.filter(pk=first.pk).update(status="giving_up")
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(reverse("webhooks:redeliver", args=[workspace_id, first.pk]))
    assert Delivery.objects.filter(event=event, status="succeeded").count() == 1

    auth_client.post(reverse("webhooks:delete", args=[workspace_id, endpoint.pk]))
    assert not Endpoint.objects.exists()


def test_only_admins_manage_a_teams_webhooks(client, team, studio, receiver):
    outsider, editor, admin = UserFactory(), member(team, Role.EDITOR), member(team, Role.ADMIN)
    endpoint = services.endpoint_create(workspace=team, url=receiver.url, created_by=studio)
    pages = [
        reverse("webhooks:list", args=[team.pk]),
        reverse("webhooks:detail", args=[team.pk, endpoint.pk]),
        reverse("webhooks:secret", args=[team.pk, endpoint.pk]),
    ]
    for who, status in ((outsider, 404), (editor, 403), (admin, 200)):
        client.force_login(who)
        assert [client.get(url).status_code for url in pages] == [status] * 3
    client.force_login(editor)
    assert client.post(reverse("webhooks:delete", args=[team.pk, endpoint.pk])).status_code == 403
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()

    client.force_login(admin)
    page = client.get(reverse("webhooks:list", args=[team.pk])).content.decode()
    assert "Night Owls" in page
    assert receiver.url in page


def test_the_api_for_admins_only(api_client, team, studio, receiver, django_capture_on_commit_callbacks):
    outsider, editor, admin = UserFactory(), member(team, Role.EDITOR), member(team, Role.ADMIN)
    api_client.force_login(admin)
    created = api_client.post(
        "/api/v1/webhooks/endpoints/",
        {"workspace": team.pk, "url": receiver.url, "event_types": ["job.failed"]},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["workspace"] == team.pk
    endpoint_id = body["id"]
    listed = api_client.get(f"/api/v1/webhooks/endpoints/?workspace={team.pk}").json()
    assert [e["id"] for e in listed] == [endpoint_id]
    assert "secret" not in listed[0]
    patched = api_client.patch(
        f"/api/v1/webhooks/endpoints/{endpoint_id}/", {"description": "CI"}, format="json"
    )
    assert patched.json()["description"] == "CI"
    rotated = api_client.post(f"/api/v1/webhooks/endpoints/{endpoint_id}/rotate/").json()
    assert rotated["secret"] != body["secret"]
    assert rotated["previous_valid_until"]

    with django_capture_on_commit_callbacks(execute=True):
        services.event_emit(workspace_id=team.pk, type="job.failed", data={"job": {"id": "j", "error": "x"}})
    (delivery,) = api_client.get(f"/api/v1/webhooks/endpoints/{endpoint_id}/deliveries/").json()
    assert (delivery["type"], delivery["status"], delivery["last_status_code"]) == (
        "job.failed",
        "succeeded",
        200,
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = api_client.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/redeliver/")
    assert again.status_code == 202
    assert again.json()["message_id"] == delivery["message_id"]
    assert len(receiver.calls) == 2

    for who, status in ((outsider, 404), (editor, 403)):
        api_client.force_login(who)
        assert api_client.get(f"/api/v1/webhooks/endpoints/{endpoint_id}/").status_code == status
        assert api_client.get(f"/api/v1/webhooks/endpoints/?workspace={team.pk}").status_code == status
        assert (
            api_client.post(f"/api/v1/webhooks/deliveries/{delivery['id']}/redeliver/").status_code == status
        )
    api_client.force_login(admin)
    assert api_client.delete(f"/api/v1/webhooks/endpoints/{endpoint_id}/").status_code == 204


def test_staff_see_endpoints_and_deliveries_in_the_admin_but_never_a_secret(
    staff_client, user, receiver, django_capture_on_commit_callbacks
):
    endpoint = services.endpoint_create(
        workspace=Workspace.objects.get(pk=personal_workspace_id(user.pk)), url=receiver.url, created_by=user
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_test(endpoint=endpoint)
    secret = services.secret_current(endpoint)
    delivery = Delivery.objects.get()
    pages = [
        "/admin/webhooks/endpoint/",
        f"/admin/webhooks/endpoint/{endpoint.pk}/change/",
        "/admin/webhooks/delivery/",
        f"/admin/webhooks/delivery/{delivery.pk}/change/",
        "/admin/webhooks/event/",
    ]
    for url in pages:
        page = staff_client.get(url)
        assert page.status_code == 200, url
        assert secret not in page.content.decode()
    assert staff_client.get("/admin/webhooks/endpoint/add/").status_code == 403
