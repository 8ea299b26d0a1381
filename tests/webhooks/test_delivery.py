"""Events delivered to real local receivers: signed, retried with backoff, switched off by
410, size-capped, redelivered, and signed with both secrets while one is rotated out."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from webhooks import delivering, outbound, services
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import deliveries_sweep, delivery_send
from workspaces.models import personal_workspace_id

pytestmark = pytest.mark.django_db


def endpoint_for(user, url: str, **options) -> Endpoint:
    workspace_id = personal_workspace_id(user.pk)
    from workspaces.models import Workspace

    return services.endpoint_create(
        workspace=Workspace.objects.get(pk=workspace_id), url=url, created_by=user, **options
    )


def emit(user, type_: str = "job.succeeded", data: dict | None = None, *, capture):
    with capture(execute=True):
        return services.event_emit(
            workspace_id=personal_workspace_id(user.pk), type=type_, data=data or {"job": {"id": "j1"}}
        )


def due_now(delivery: Delivery) -> None:
    """As if the wait were over."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_local_receiver_gets_a_signed_job_succeeded_that_verifies(
    user, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(user, receiver.url, event_types=["job.succeeded"])
    data = {
        "job": {"id": "4b1e", "status": "succeeded", "assets": [{"id": "a1", "url": "/api/v1/assets/a1/"}]}
    }

    event = emit(user, data=data, capture=django_capture_on_commit_callbacks)

    (call,) = receiver.calls
    secret = services.secret_current(endpoint)
    assert Webhook(secret).verify(call.body, call.headers) == {
        "type": "job.succeeded",
        "timestamp": event.created_at.isoformat(),
        "data": data,
    }
    assert call.headers["webhook-id"] == event.message_id
    assert event.message_id.startswith("msg_")
    assert abs(int(call.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 10
    delivery = Delivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.response_excerpt == "ok"


def test_an_endpoint_gets_only_the_events_it_subscribes_to_and_none_when_switched_off(
    user, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(user, receiver.url, event_types=["asset.deleted"])
    assert emit(user, "job.succeeded", capture=django_capture_on_commit_callbacks) is None
    services.endpoint_update(endpoint=endpoint, enabled=False)
    assert emit(user, "asset.deleted", capture=django_capture_on_commit_callbacks) is None
    assert receiver.calls == []


def test_a_receiver_answering_500_is_retried_with_growing_waits_then_given_up(
    user, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    endpoint_for(user, receiver.url)
    event = emit(user, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)

    waits = []
    while True:
        delivery.refresh_from_db()
        if delivery.status != "pending":
            break
        waits.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        assert delivery_send(delivery.pk) is None  # not due yet: nothing sent
        due_now(delivery)
        delivery_send(delivery.pk)

    assert len(receiver.calls) == len(delivering.BACKOFF_S) + 1 == 9
    assert len(waits) == 8
    assert all(later > earlier for earlier, later in itertools.pairwise(waits))
    for wait, base in zip(waits, delivering.BACKOFF_S, strict=True):
        assert base * 0.89 <= wait <= base * 1.11
    assert sum(delivering.BACKOFF_S) / 3600 == pytest.approx(22.7, abs=0.1)
    assert delivery.status == "giving_up"
    assert (delivery.attempts, delivery.last_status_code) == (9, 500)
    assert delivery.last_error == "The receiver answered 500."
    assert {c.headers["webhook-id"] for c in receiver.calls} == {event.message_id}


def test_a_failed_attempt_is_queued_again_for_when_the_schedule_says(
    user, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    send_now = delivery_send.apply_async

    def queue(args=None, kwargs=None, countdown=None, **options):
        """The broker's side: a message for later is kept, not run at once as eager mode would."""
        if countdown is None:
            return send_now(args, kwargs, **options)
        queued.append((list(args), countdown))
        return None

    monkeypatch.setattr(delivery_send, "apply_async", queue)
    receiver.statuses = [503, 200]
    endpoint_for(user, receiver.url)
    event = emit(user, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)

    ((args, countdown),) = queued
    assert args == [delivery.pk]
    assert 27 <= countdown <= 33
    due_now(delivery)
    delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 2, 200)


def test_the_sweep_sends_deliveries_whose_message_was_lost(
    user, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(user, receiver.url)
    event = services.event_emit(workspace_id=endpoint.workspace_id, type="job.failed", data={})  # never sent
    assert deliveries_sweep() == 0  # not overdue yet
    Delivery.objects.filter(event=event).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=5))

    assert deliveries_sweep() == 1
    assert len(receiver.calls) == 1
    assert Delivery.objects.get(event=event).status == "succeeded"


def test_410_gone_switches_the_endpoint_off(user, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [410]
    endpoint = endpoint_for(user, receiver.url)
    event = emit(user, capture=django_capture_on_commit_callbacks)

    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "410 Gone" in endpoint.disabled_reason
    delivery = Delivery.objects.get(event=event)
    assert (delivery.status, delivery.last_status_code) == ("failed", 410)
    assert emit(user, capture=django_capture_on_commit_callbacks) is None
    assert len(receiver.calls) == 1


def test_a_redirect_to_a_metadata_address_is_refused_before_connecting(
    user, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses, receiver.location = [307], "http://169.254.169.254/latest/meta-data/"
    endpoint_for(user, receiver.url)
    event = emit(user, capture=django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(event=event)
    assert delivery.status == "failed"  # refused: not retried
    assert "cloud metadata" in delivery.last_error
    assert len(receiver.calls) == 1


def test_redirects_are_followed_to_a_checked_target_at_most_three_times(user, receiver):
    receiver.statuses, receiver.location = [308, 308, 200], "/hooks/moved"
    answer = outbound.post(receiver.url, body=b"{}", headers={})
    assert answer.status == 200
    assert [c.path for c in receiver.calls] == ["/hooks", "/hooks/moved", "/hooks/moved"]

    receiver.calls.clear()
    receiver.statuses = [302]
    with pytest.raises(outbound.Refused, match="More than 3 redirects"):
        outbound.post(receiver.url, body=b"{}", headers={})
    assert len(receiver.calls) == 4


def test_an_answer_that_never_ends_is_read_only_up_to_the_cap(
    user, receiver, django_capture_on_commit_callbacks
):
    receiver.endless = True
    answer = outbound.post(receiver.url, body=b"{}", headers={})
    assert (answer.status, answer.truncated, len(answer.body)) == (200, True, outbound.MAX_RESPONSE_BYTES)

    endpoint_for(user, receiver.url)
    event = emit(user, capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == "succeeded"
    assert len(delivery.response_excerpt.encode()) == delivering.EXCERPT_BYTES


def test_after_rotation_both_secrets_sign_until_the_old_one_expires(
    user, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(user, receiver.url)
    old = services.secret_current(endpoint)
    new = services.secret_rotate(endpoint=endpoint)
    assert new != old
    assert services.secret_current(endpoint) == new

    emit(user, capture=django_capture_on_commit_callbacks)
    call = receiver.calls[-1]
    assert len(call.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(call.body, call.headers)
    assert Webhook(old).verify(call.body, call.headers)

    endpoint.secrets.filter(expires_at__isnull=False).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    emit(user, capture=django_capture_on_commit_callbacks)
    call = receiver.calls[-1]
    assert len(call.headers["webhook-signature"].split(" ")) == 1
    assert Webhook(new).verify(call.body, call.headers)
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(old).verify(call.body, call.headers)


def test_redelivering_sends_the_same_message_again_as_a_new_delivery(
    user, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [410, 200]
    endpoint = endpoint_for(user, receiver.url)
    event = emit(user, capture=django_capture_on_commit_callbacks)
    first = Delivery.objects.get(event=event)
    with pytest.raises(services.WebhookError, match="switched off"):
        services.delivery_redeliver(delivery=first)
    services.endpoint_update(endpoint=endpoint, enabled=True)
    first.endpoint.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.delivery_redeliver(delivery=first)

    again.refresh_from_db()
    assert again.pk != first.pk
    assert again.status == "succeeded"
    assert [c.headers["webhook-id"] for c in receiver.calls] == [event.message_id] * 2
    assert json.loads(receiver.calls[0].body) == json.loads(receiver.calls[1].body)


def test_rotating_the_encryption_keys_keeps_every_signing_secret(user, receiver, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.db import connection

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONNECTION_TOKEN_KEYS = [old_key]
    endpoint = endpoint_for(user, receiver.url)
    secret = services.secret_current(endpoint)
    settings.CONNECTION_TOKEN_KEYS = [new_key, old_key]
    call_command("rotate_connection_keys")
    settings.CONNECTION_TOKEN_KEYS = [new_key]

    assert services.secret_current(endpoint) == secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpointsecret")
        (raw,) = cursor.fetchone()
    assert secret not in raw
    assert Fernet(new_key.encode()).decrypt(raw.encode()).decode() == secret


def test_events_and_their_log_are_forgotten_after_a_month(user, receiver, django_capture_on_commit_callbacks):
    from webhooks.models import Event
    from webhooks.tasks import events_forget

    endpoint_for(user, receiver.url)
    old = emit(user, capture=django_capture_on_commit_callbacks)
    recent = emit(user, capture=django_capture_on_commit_callbacks)
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))

    assert events_forget() == 2  # the event and its delivery
    assert list(Event.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Delivery.objects.filter(event=recent).count() == 1
