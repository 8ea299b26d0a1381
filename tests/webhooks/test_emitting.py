"""Where events come from: a job that succeeds or fails, an asset deleted from the library, a
subscription Stripe says changed. Each reaches the creator's personal workspace's endpoint."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from djstripe.models import WebhookEndpoint

from billing.payments import customer_for
from generation import services as generation
from generation.services import JobRequest
from library.models import Asset
from library.services import assets_delete
from tests.fakes.stripe import FakeStripe
from webhooks import services
from workspaces.models import Workspace, personal_workspace_id

THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Ranked grind night, "RANKED GRIND"', seed=7)


def subscribe(user, url: str, *types: str) -> None:
    workspace = Workspace.objects.get(pk=personal_workspace_id(user.pk))
    services.endpoint_create(workspace=workspace, url=url, created_by=user, event_types=types)


def received(receiver) -> list[dict]:
    return [json.loads(call.body) for call in receiver.calls]


@pytest.mark.django_db
def test_a_succeeded_job_sends_its_assets_and_a_deleted_asset_its_title(
    user, receiver, django_capture_on_commit_callbacks
):
    subscribe(user, receiver.url, "job.succeeded", "asset.deleted")
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = generation.job_create(user=user, request=THUMBNAIL)

    (message,) = received(receiver)
    asset = Asset.objects.get(source_job_id=job.pk)
    assert message["type"] == "job.succeeded"
    assert message["data"] == {
        "job": {
            "id": str(job.pk),
            "status": "succeeded",
            "url": f"/api/v1/generations/{job.pk}/",
            "assets": [{"id": str(asset.pk), "url": f"/api/v1/assets/{asset.pk}/"}],
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        assets_delete(user=user, asset_ids=[asset.pk])
    assert received(receiver)[-1]["type"] == "asset.deleted"
    assert received(receiver)[-1]["data"] == {"asset": {"id": str(asset.pk), "title": asset.title}}


@pytest.mark.django_db
def test_a_failed_job_sends_its_reason(user, receiver, settings, django_capture_on_commit_callbacks):
    settings.IMAGE_PROVIDER = "tests.generation.providers.RefusingProvider"
    subscribe(user, receiver.url, "job.failed")
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = generation.job_create(user=user, request=THUMBNAIL)

    (message,) = received(receiver)
    job.refresh_from_db()
    assert message["type"] == "job.failed"
    assert message["data"]["job"]["id"] == str(job.pk)
    assert message["data"]["job"]["error"] == job.error
    assert "safety filter" in job.error


@pytest.mark.django_db(transaction=True)
def test_a_subscription_stripe_changed_sends_its_plan_and_status(user, receiver, fake_stripe, client):
    call_command("stripe_webhook", "https://aurastream.test")
    stripe_endpoint = WebhookEndpoint.objects.get()
    subscribe(user, receiver.url, "subscription.changed")
    customer = customer_for(user)
    subscription = fake_stripe.subscription(customer=customer.id, price="price_pro_monthly")
    event = fake_stripe.event("customer.subscription.updated", subscription)

    payload = json.dumps(event).encode()
    answer = client.post(
        stripe_endpoint.url.removeprefix("https://aurastream.test"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=FakeStripe.sign(payload, stripe_endpoint.secret),
    )

    assert answer.status_code == 200
    (message,) = received(receiver)
    assert message["type"] == "subscription.changed"
    assert message["data"] == {
        "subscription": {"plan": "pro", "status": subscription["status"], "cancel_at_period_end": False}
    }
