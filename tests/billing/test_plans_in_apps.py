"""The plan decides the limits in generation, the coach and brand kits, and the queue, whether it
comes from a Stripe subscription (synced from the fake Stripe server) or a staff grant."""

from __future__ import annotations

import pytest
from django.utils import timezone

from billing.payments import customer_for, subscription_sync
from brandkits.services import BrandKitLimitReached, brand_kit_create
from coach.services import session_create
from generation.services import JobRequest, QuotaExceeded, job_create
from tests.factories import PlanGrantFactory, UsageEntryFactory
from tests.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db

PRICES = {"pro": "price_pro_monthly", "studio": "price_studio_monthly"}
THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Ranked grind night, "RANKED GRIND"', seed=7)
# (plan, generations a period, coach sessions, brand kits, priority queue); None: unlimited.
PLANS = [
    ("free", 3, 1, 1, False),
    ("pro", 50, None, 5, True),
    ("studio", None, None, None, True),
]


@pytest.fixture(params=["stripe", "grant"])
def on_plan(request, user, fake_stripe: FakeStripe):
    """Put the creator on a plan the way the parameter says."""

    def put(plan: str) -> None:
        if plan == "free":
            return
        if request.param == "stripe":
            subscription = fake_stripe.subscription(customer=customer_for(user).id, price=PRICES[plan])
            subscription_sync(subscription["id"])
        else:
            PlanGrantFactory(user=user, plan=plan)

    return put


def _used(user, quantity: int) -> None:
    UsageEntryFactory(user=user, quantity=quantity)


@pytest.mark.parametrize(("plan", "generations", "_coach", "_kits", "priority"), PLANS)
def test_generations_per_period_and_the_queue_follow_the_plan(
    user, on_plan, plan, generations, _coach, _kits, priority
):
    on_plan(plan)
    if generations is None:
        _used(user, 500)
    else:
        _used(user, generations - 1)

    job, _ = job_create(user=user, request=THUMBNAIL)

    assert job.queue == ("priority" if priority else "default")
    if generations is not None:
        with pytest.raises(QuotaExceeded, match=f"all {generations} generations of your"):
            job_create(user=user, request=THUMBNAIL)


@pytest.mark.parametrize(("plan", "_generations", "coach", "_kits", "_priority"), PLANS)
def test_coach_sessions_follow_the_plan(user, on_plan, plan, _generations, coach, _kits, _priority):
    from billing.services import CoachLimitReached

    on_plan(plan)
    allowed = coach if coach is not None else 10

    for _ in range(allowed):
        session_create(user=user)

    if coach is not None:
        with pytest.raises(CoachLimitReached, match="Upgrade to Pro"):
            session_create(user=user)


@pytest.mark.parametrize(("plan", "_generations", "_coach", "kits", "_priority"), PLANS)
def test_brand_kits_follow_the_plan(user, on_plan, plan, _generations, _coach, kits, _priority):
    on_plan(plan)
    allowed = kits if kits is not None else 8

    for number in range(allowed):
        brand_kit_create(owner=user, name=f"Kit {number}")

    if kits is not None:
        with pytest.raises(BrandKitLimitReached):
            brand_kit_create(owner=user, name="One more")


def test_studio_coach_replies_may_search_the_web_and_pro_ones_may_not(user, other_user, fake_stripe):
    from billing.entitlements import coach_grounding

    for creator, plan in ((user, "studio"), (other_user, "pro")):
        subscription = fake_stripe.subscription(customer=customer_for(creator).id, price=PRICES[plan])
        subscription_sync(subscription["id"])

    assert coach_grounding(user) is True
    assert coach_grounding(other_user) is False


def test_a_subscription_for_a_price_this_server_does_not_sell_gives_no_plan(user, fake_stripe):
    fake_stripe.price("price_someone_else", amount=500, name="Another product")
    subscription = fake_stripe.subscription(customer=customer_for(user).id, price="price_someone_else")
    subscription_sync(subscription["id"])

    job, _ = job_create(user=user, request=THUMBNAIL)

    assert job.queue == "default"


def test_usage_is_counted_in_words_that_match_the_period(auth_client, user, fake_stripe):
    import datetime as dt
    import re

    from django.urls import reverse

    def create_page() -> str:
        return re.sub(r"\s+", " ", auth_client.get(reverse("generation:generate")).content.decode())

    assert "3 of 3 generations left</span> this month on Free" in create_page()

    # A subscription renews on the day it started, not on the 1st.
    start = timezone.now() - dt.timedelta(days=3)
    if start.day == 1:
        start -= dt.timedelta(days=1)
    subscription = fake_stripe.subscription(
        customer=customer_for(user).id, price=PRICES["pro"], period_start=int(start.timestamp())
    )
    subscription_sync(subscription["id"])
    _used(user, 50)

    assert "0 of 50 generations left</span> this billing period on Pro" in create_page()
    with pytest.raises(QuotaExceeded, match="all 50 generations of your Pro plan this billing period"):
        job_create(user=user, request=THUMBNAIL)
