"""The journeys of creators who were here before analytics (the data migration), so a step they
had taken already is never counted as a new first after launch."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from accounts.models import User
from analytics import services as analytics
from analytics.models import Journey
from brandkits.models import BrandKit
from coach.models import CoachSession
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from library.models import Asset
from tests.factories import (
    AssetFactory,
    BrandKitFactory,
    CoachSessionFactory,
    GenerationJobFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("analytics.migrations.0003_journeys_of_existing_creators")
LONG_AGO = timezone.now().replace(microsecond=0) - dt.timedelta(days=400)


def backfill() -> None:
    """The migration's work, as ``migrate`` runs it (the test database has already migrated)."""
    migration.journeys_backfill(apps, SimpleNamespace(connection=connection))


def day(n: int) -> dt.datetime:
    return LONG_AGO + dt.timedelta(days=n)


def aged(model, row, *, days: int, field: str = "created_at") -> None:
    model._base_manager.filter(pk=row.pk).update(**{field: day(days)})


def an_earlier_creator() -> User:
    """A creator from before launch: joined, a kit, assets (one deleted since), a pack, a coach
    session, each on its own day."""
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(date_joined=day(0))
    aged(BrandKit, BrandKitFactory(owner=user), days=1)
    aged(Asset, AssetFactory(owner=user, deleted_at=timezone.now()), days=2)
    aged(Asset, AssetFactory(owner=user), days=3)
    aged(GenerationJob, GenerationJobFactory(user=user, pack="emote_pack"), days=4, field="finished_at")
    aged(GenerationJob, GenerationJobFactory(user=user, pack="emote_pack", status="failed"), days=0)
    aged(GenerationJob, GenerationJobFactory(user=user), days=0, field="finished_at")  # no pack
    aged(CoachSession, CoachSessionFactory(user=user), days=5)
    return user


def test_a_creator_from_before_gets_a_journey_dated_from_their_rows():
    user = an_earlier_creator()
    newcomer = UserFactory(verified_email=False)

    backfill()

    journey = Journey.objects.get(user=user)
    assert journey.signed_up_at == day(0)
    assert journey.verified_at == day(0)  # allauth keeps no time: the sign-up's
    assert journey.first_brand_kit_at == day(1)
    assert journey.first_asset_at == day(2)  # deleted since, but made then
    assert journey.first_pack_at == day(4)  # the succeeded pack, not the failed one
    assert journey.first_coach_at == day(5)
    assert (journey.checkout_started_at, journey.paid_at, journey.cancelled_at) == (None, None, None)
    fresh = Journey.objects.get(user=newcomer)
    assert fresh.signed_up_at == newcomer.date_joined
    assert (fresh.verified_at, fresh.first_asset_at, fresh.first_brand_kit_at) == (None, None, None)


def test_after_the_backfill_their_next_asset_is_no_new_first(django_capture_on_commit_callbacks):
    user = an_earlier_creator()
    backfill()

    with django_capture_on_commit_callbacks(execute=True):
        generation.job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=1))
    analytics.rollup()

    journey = Journey.objects.get(user=user)
    assert journey.first_asset_at == day(2)
    assert journey.signed_up_at == day(0)


def test_a_journey_the_roll_up_started_is_moved_earlier_never_later():
    user = an_earlier_creator()
    later = timezone.now()
    Journey.objects.create(user=user, signed_up_at=later, first_asset_at=later, checkout_started_at=later)

    backfill()
    backfill()  # twice changes nothing more

    journey = Journey.objects.get(user=user)
    assert (journey.signed_up_at, journey.first_asset_at) == (day(0), day(2))
    assert journey.checkout_started_at == later  # nothing older is known
    assert Journey.objects.count() == 1


def test_a_subscriber_from_before_is_paid_since_their_subscription_and_cancelled_when_they_cancelled(
    user, fake_stripe
):
    from billing.payments import customer_for, subscription_sync

    customer = customer_for(user)
    first = fake_stripe.subscription(customer=customer.id, price="price_pro_monthly")
    cancelled_at = int(day(30).timestamp())
    fake_stripe.update(first["id"], status="canceled", canceled_at=cancelled_at, ended_at=cancelled_at)
    second = fake_stripe.subscription(customer=customer.id, price="price_studio_monthly")
    never_paid = fake_stripe.subscription(customer=customer.id, price="price_pro_monthly")
    fake_stripe.update(never_paid["id"], status="incomplete_expired")
    for subscription in (first, second, never_paid):
        subscription_sync(subscription["id"])
    from djstripe.models import Subscription

    Subscription.objects.filter(id=first["id"]).update(created=day(10))
    Subscription.objects.filter(id=second["id"]).update(created=day(40))
    Subscription.objects.filter(id=never_paid["id"]).update(created=day(5))

    backfill()

    journey = Journey.objects.get(user=user)
    assert journey.paid_at == day(10)
    assert journey.cancelled_at == day(30)
