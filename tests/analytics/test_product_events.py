"""Product events, recorded where they happen: each driven through the real page or service,
pushed when its transaction commits, rolled up into raw rows, daily figures and journeys.

Every roll-up here (``rolled_up``) also inspects every stored event's properties: only the
known keys, small values, and nothing personal (no address, name, title, prompt, IP or user
agent) in any of them.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analytics import services as analytics
from analytics.models import ActiveDay, DailyEvent, Journey, ProductEvent
from aurastream import events
from billing.payments import customer_for
from brandkits import services as brandkits
from brandkits.models import BrandKit
from coach.models import CoachMessage, CoachSession
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from library import services as library
from library.models import Asset
from tests.accounts.social import CREATORS, log_in_with
from tests.factories import KIT_FORM as KIT
from tests.factories import AssetFactory, PlanGrantFactory
from tests.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db

THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Secret raid plans, "NIGHT RAID"', seed=7)
EMOTE_PACK = JobRequest(
    spec_key="twitch.emote", prompt="a purple cat", pack="emote_pack", pack_items=["GG", "HYPE"], seed=3
)
PROPERTIES = {
    "method",
    "asset_type",
    "platform",
    "provider",
    "refine",
    "pack",
    "items",
    "plan",
    "previous_plan",
}
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _personal_words() -> set[str]:
    """Everything personal the database holds that an event might have leaked."""
    words: set[str] = {"127.0.0.1", USER_AGENT, "Mozilla", "Firefox"}
    for email, name in User.objects.values_list("email", "display_name"):
        words |= {email, email.split("@")[0], name}
    for title, prompt in Asset._base_manager.values_list("title", "prompt"):
        words |= {title, prompt}
    for prompt, text, instruction in GenerationJob.objects.values_list("prompt", "text", "instruction"):
        words |= {prompt, text, instruction}
    words |= set(CoachSession._base_manager.values_list("title", flat=True))
    words |= set(CoachMessage.objects.values_list("content", flat=True))
    words |= set(BrandKit._base_manager.values_list("name", flat=True))
    return {word.lower() for word in words if word and len(word) > 2}


def rolled_up() -> list[ProductEvent]:
    """Roll the buffer up; every product event stored, oldest first, each checked to carry
    nothing personal."""
    analytics.rollup()
    stored = list(ProductEvent.objects.order_by("at", "pk"))
    personal = _personal_words()
    for event in stored:
        assert set(event.properties) <= PROPERTIES, event.properties
        for value in event.properties.values():
            assert isinstance(value, str | int | bool), event.properties
            text = str(value).lower()
            assert len(text) <= 30, event.properties
            assert "@" not in text, event.properties
            assert not re.search(r"\d+\.\d+\.\d+\.\d+", text), event.properties
            assert not any(word in text for word in personal), (event.properties, personal)
    return stored


def named(stored: list[ProductEvent], name: str) -> list[ProductEvent]:
    return [event for event in stored if event.name == name]


def daily(name: str, detail: str = "") -> tuple[int, int]:
    row = DailyEvent.objects.get(day=timezone.localdate(), name=name, detail=detail)
    return row.events, row.users


def made(user: User, request: JobRequest, capture) -> GenerationJob:
    """A job accepted and run (the task runs eagerly on commit)."""
    with capture(execute=True):
        job, _ = generation.job_create(user=user, request=request)
    job.refresh_from_db()
    return job


# --- A new creator's way in ---------------------------------------------------------------


def test_a_creator_who_signs_up_verifies_and_makes_things_has_each_first_time(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": "nova@example.com", "password1": "glowing-neon-77", "password2": "glowing-neon-77"},
            HTTP_USER_AGENT=USER_AGENT,
        )
    user = User.objects.get(email="nova@example.com")
    link = next(m for m in mail.outbox if "confirm-email" in m.body)
    path = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", link.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/brand/new/", KIT).status_code == 302
    PlanGrantFactory(user=user, plan="pro")
    made(user, THUMBNAIL, django_capture_on_commit_callbacks)
    pack = made(user, EMOTE_PACK, django_capture_on_commit_callbacks)

    stored = rolled_up()

    assert [e.name for e in stored] == [
        events.SIGNUP, events.EMAIL_VERIFIED, events.BRAND_KIT_CREATED, events.ASSET_CREATED,
        events.ASSET_CREATED, events.ASSET_CREATED, events.PACK_CREATED,
    ]  # fmt: skip
    assert {e.user_id for e in stored} == {user.pk}
    assert stored[0].properties == {"method": "email"}
    assert stored[3].properties == {
        "asset_type": "thumbnail", "platform": "youtube", "provider": "local", "refine": False,
    }  # fmt: skip
    assert named(stored, events.PACK_CREATED)[0].properties == {"pack": "emote_pack", "items": 2}
    assert pack.status == GenerationJob.Status.SUCCEEDED
    journey = Journey.objects.get(user=user)
    assert journey.signed_up_at == stored[0].at
    assert journey.verified_at == stored[1].at
    assert journey.first_brand_kit_at == stored[2].at
    assert journey.first_asset_at == stored[3].at
    assert journey.first_pack_at == stored[6].at
    assert journey.paid_at is None
    assert daily(events.ASSET_CREATED) == (3, 1)
    assert daily(events.ASSET_CREATED, "emote") == (2, 1)
    assert daily(events.SIGNUP, "email") == (1, 1)
    assert ActiveDay.objects.filter(user=user, day=timezone.localdate()).exists()

    # A second asset is counted, but it is no new first.
    made(user, THUMBNAIL, django_capture_on_commit_callbacks)
    assert len(named(rolled_up(), events.ASSET_CREATED)) == 4
    assert Journey.objects.get(user=user).first_asset_at == stored[3].at
    assert daily(events.ASSET_CREATED, "thumbnail") == (2, 1)


@pytest.mark.parametrize("provider", ["google", "twitch", "discord"])
def test_a_social_signup_is_counted_by_provider_with_the_address_it_vouched_for(
    client, providers, provider, django_capture_on_commit_callbacks
):
    providers.sign_in(provider, CREATORS[provider])

    with django_capture_on_commit_callbacks(execute=True):
        assert log_in_with(client, providers, provider).status_code == 302

    user = User.objects.get()
    stored = rolled_up()
    assert [(e.name, e.properties, e.user_id) for e in stored] == [
        (events.SIGNUP, {"method": provider}, user.pk),
        (events.EMAIL_VERIFIED, {}, user.pk),
    ]
    assert daily(events.SIGNUP, provider) == (1, 1)
    journey = Journey.objects.get(user=user)
    assert journey.signed_up_at is not None
    assert journey.verified_at is not None


def test_confirming_a_changed_address_is_no_second_verification(
    user, client, django_capture_on_commit_callbacks
):
    new = EmailAddress.objects.create(user=user, email="new.address@example.com", verified=False)
    key = EmailConfirmationHMAC(new).key

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/confirm-email/{key}/")

    assert EmailAddress.objects.get(email="new.address@example.com").verified
    assert rolled_up() == []


# --- What creators make -------------------------------------------------------------------


def test_a_duplicated_kit_is_a_kit_created_and_a_refused_one_is_nothing(
    user, django_capture_on_commit_callbacks
):
    PlanGrantFactory(user=user, plan="pro")
    with django_capture_on_commit_callbacks(execute=True):
        kit = brandkits.brand_kit_create(owner=user, name="Main")
    with django_capture_on_commit_callbacks(execute=True):
        brandkits.brand_kit_duplicate(kit=kit)

    stored = named(rolled_up(), events.BRAND_KIT_CREATED)

    assert len(stored) == 2
    assert Journey.objects.get(user=user).first_brand_kit_at == stored[0].at


def _kit_then_failure(user: User) -> None:
    with transaction.atomic():
        brandkits.brand_kit_create(owner=user, name="Never kept")
        raise RuntimeError("the request failed after the kit was made")


def test_a_rolled_back_service_call_records_nothing(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _kit_then_failure(user)

    assert BrandKit.objects.filter(owner=user).count() == 0
    assert rolled_up() == []
    assert not Journey.objects.filter(user=user).exists()


def test_a_failed_job_records_no_asset(user, settings, django_capture_on_commit_callbacks):
    settings.IMAGE_PROVIDER = "tests.generation.providers.RefusingProvider"

    job = made(user, THUMBNAIL, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.FAILED
    assert rolled_up() == []


def test_a_refine_is_counted_when_accepted_and_its_asset_when_kept(
    pro, client, django_capture_on_commit_callbacks
):
    client.force_login(pro)
    original = Asset.objects.get(source_job_id=made(pro, THUMBNAIL, django_capture_on_commit_callbacks).pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/create/assets/{original.pk}/refine/", {"instruction": "brighter"})

    assert response.status_code == 302
    stored = rolled_up()
    assert [e.name for e in stored] == [events.ASSET_CREATED, events.REFINE, events.ASSET_CREATED]
    assert stored[1].properties == {"asset_type": "thumbnail", "platform": "youtube"}
    assert stored[2].properties["refine"] is True
    assert daily(events.REFINE) == (1, 1)


def test_starting_a_coach_session_is_counted_with_the_plan(
    auth_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post("/coach/new/", {"brand_kit": "", "spec_key": "youtube.thumbnail"})

    assert response.status_code == 302
    [session] = rolled_up()
    assert (session.name, session.properties, session.user_id) == (
        events.COACH_SESSION,
        {"plan": "free"},
        user.pk,
    )
    assert Journey.objects.get(user=user).first_coach_at == session.at
    assert daily(events.COACH_SESSION, "free") == (1, 1)


# --- Sharing ------------------------------------------------------------------------------


def test_a_share_and_its_views_are_the_owners_and_the_views_keep_nothing_of_the_viewer(
    user, client, django_capture_on_commit_callbacks
):
    asset = AssetFactory(owner=user, title="Private title of the stream")
    with django_capture_on_commit_callbacks(execute=True):
        token = library.asset_share(asset=asset).share_token
    with django_capture_on_commit_callbacks(execute=True):
        library.asset_share(asset=Asset.objects.get(pk=asset.pk))  # already shared: no new link
    analytics.rollup()
    ActiveDay.objects.all().delete()  # the owner was active sharing; the views alone are not

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(f"/s/{token}/", HTTP_USER_AGENT=USER_AGENT, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # a chat app unfurling the link
        client.get(f"/s/{token}/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Discordbot/2.0)")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/s/{token}/")  # the owner's own look is no view

    stored = rolled_up()
    assert [e.name for e in stored] == [events.SHARE_CREATED, events.SHARE_VIEWED, events.SHARE_VIEWED]
    assert {e.user_id for e in stored} == {user.pk}
    assert stored[1].properties == {"asset_type": asset.asset_type, "platform": asset.platform}
    assert daily(events.SHARE_VIEWED) == (2, 1)
    assert not ActiveDay.objects.filter(user=user).exists()
    assert "203.0.113" not in str([e.properties for e in stored])


# --- Plans ---------------------------------------------------------------------------------


def test_opening_checkout_is_counted_with_the_plan(
    auth_client, user, fake_stripe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert auth_client.post("/billing/checkout/", {"plan": "studio"}).status_code == 303

    [checkout] = rolled_up()
    assert (checkout.name, checkout.properties, checkout.user_id) == (
        events.CHECKOUT_STARTED, {"plan": "studio"}, user.pk,
    )  # fmt: skip
    assert Journey.objects.get(user=user).checkout_started_at == checkout.at


@pytest.fixture
def deliver(client, fake_stripe: FakeStripe):
    """Post an event to the webhook URL as Stripe does (signed), as tests/billing does."""
    from djstripe.models import WebhookEndpoint

    call_command("stripe_webhook", "https://aurastream.test")
    endpoint = WebhookEndpoint.objects.get()
    path = endpoint.url.removeprefix("https://aurastream.test")

    def post(event: dict) -> int:
        payload = json.dumps(event).encode()
        signature = FakeStripe.sign(payload, endpoint.secret)
        response = client.post(
            path, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        return response.status_code

    return post


@pytest.mark.django_db(transaction=True)
def test_a_subscriptions_start_change_and_cancellation_are_each_counted_once(user, fake_stripe, deliver):
    customer = customer_for(user)
    subscription = fake_stripe.subscription(customer=customer.id, price="price_pro_monthly")
    created = fake_stripe.event("customer.subscription.created", subscription)
    assert [deliver(created) for _ in range(3)] == [200] * 3  # Stripe redelivers
    pro_items = subscription["items"]
    studio_items = {
        **pro_items,
        "data": [{**pro_items["data"][0], "price": fake_stripe.objects["price_studio_monthly"]}],
    }
    upgraded = fake_stripe.event(
        "customer.subscription.updated", fake_stripe.update(subscription["id"], items=studio_items)
    )
    upgraded["data"]["previous_attributes"] = {"items": pro_items}
    assert deliver(upgraded) == 200
    _start, end = fake_stripe.subscription_period(subscription["id"])
    cancelling = fake_stripe.update(subscription["id"], cancel_at_period_end=True, cancel_at=end)
    cancelled = fake_stripe.event("customer.subscription.updated", cancelling)
    cancelled["data"]["previous_attributes"] = {"cancel_at_period_end": False}
    assert deliver(cancelled) == 200
    # The period ends: Stripe deletes the subscription. The same cancellation, not a second.
    ended = fake_stripe.update(subscription["id"], status="canceled", ended_at=end, canceled_at=end)
    assert deliver(fake_stripe.event("customer.subscription.deleted", ended)) == 200

    stored = rolled_up()

    assert [(e.name, e.properties) for e in stored] == [
        (events.SUBSCRIPTION_STARTED, {"plan": "pro"}),
        (events.SUBSCRIPTION_STARTED, {"plan": "studio", "previous_plan": "pro"}),
        (events.SUBSCRIPTION_CANCELLED, {"plan": "studio"}),
    ]
    assert {e.user_id for e in stored} == {user.pk}
    journey = Journey.objects.get(user=user)
    assert (journey.paid_at, journey.cancelled_at) == (stored[0].at, stored[2].at)
    assert daily(events.SUBSCRIPTION_STARTED, "studio") == (1, 1)
    # The plan emails went out as before: started, changed, cancelled, ended.
    assert [m.subject.removeprefix("[AuraStream] ") for m in mail.outbox] == [
        "Welcome to Pro",
        "You're now on Studio",
        "Your Studio plan is cancelled",
        "Your Studio plan has ended",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_subscription_cancelled_at_once_is_counted_when_it_ends(user, fake_stripe, deliver):
    customer = customer_for(user)
    subscription = fake_stripe.subscription(customer=customer.id, price="price_pro_monthly")
    deliver(fake_stripe.event("customer.subscription.created", subscription))
    ended = fake_stripe.update(
        subscription["id"], status="canceled", ended_at=int(timezone.now().timestamp())
    )
    deleted = fake_stripe.event("customer.subscription.deleted", ended)
    deliver(deleted)
    deliver(deleted)

    stored = rolled_up()

    assert [(e.name, e.properties) for e in stored] == [
        (events.SUBSCRIPTION_STARTED, {"plan": "pro"}),
        (events.SUBSCRIPTION_CANCELLED, {"plan": "pro"}),
    ]


# --- Keyed events -------------------------------------------------------------------------


def test_a_keyed_event_recorded_twice_is_stored_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.record(events.SUBSCRIPTION_STARTED, user=user, key="evt_1", plan="pro")
        events.record(events.SUBSCRIPTION_STARTED, user=user, key="evt_1", plan="pro")
        events.record(events.SUBSCRIPTION_STARTED, user=user, key="evt_2", plan="studio")
        events.record(events.SUBSCRIPTION_CANCELLED, user=user, key="evt_1", plan="pro")
    analytics.rollup()
    with django_capture_on_commit_callbacks(execute=True):
        events.record(events.SUBSCRIPTION_STARTED, user=user, key="evt_1", plan="pro")  # a day later

    stored = rolled_up()

    assert [(e.name, e.properties["plan"]) for e in stored] == [
        (events.SUBSCRIPTION_STARTED, "pro"),
        (events.SUBSCRIPTION_STARTED, "studio"),
        (events.SUBSCRIPTION_CANCELLED, "pro"),
    ]
    assert stored[0].event_id == events.event_id(events.SUBSCRIPTION_STARTED, "evt_1")
    assert len({e.event_id for e in stored}) == 3


def test_an_unkeyed_event_gets_a_new_id_every_time(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        events.record(events.SHARE_VIEWED, user=user)
        events.record(events.SHARE_VIEWED, user=user)

    assert len(rolled_up()) == 2


def test_an_events_time_is_kept_and_old_lines_are_dropped(user, settings, django_capture_on_commit_callbacks):
    earlier = timezone.now() - dt.timedelta(days=2)
    too_old = timezone.now() - dt.timedelta(days=settings.ANALYTICS_RAW_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        events.record(events.ASSET_CREATED, user=user, at=earlier, asset_type="emote")
        events.record(events.ASSET_CREATED, user=user, at=too_old, asset_type="emote")

    [stored] = rolled_up()

    assert stored.at == earlier
    assert Journey.objects.get(user=user).first_asset_at == earlier
