"""From visits and creators' real requests, through a real worker's scheduled roll-up, to the
figures staff read on the dashboard: visitors, the funnel, cohorts, key metrics (MRR from a
subscription made through the fake Stripe server) and generation latency percentiles."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from analytics.models import DailyTraffic, Dimension, Journey, ProductEvent
from aurastream.celery import app as celery_app
from billing.payments import customer_for
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from tests.factories import KIT_FORM as KIT
from tests.factories import GenerationJobFactory, UserFactory
from tests.fakes.stripe import FakeStripe
from tests.worker import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PASSWORD = "glowing-neon-77"


def browser(address: str) -> Client:
    """A visitor's browser: one address, one user agent (one visitor a day)."""
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)


def sign_up(visitor: Client, email: str) -> User:
    assert visitor.get("/accounts/signup/").status_code == 200
    answer = visitor.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert answer.status_code == 302
    return User.objects.get(email=email)


def confirm(visitor: Client, email: str) -> None:
    letter = next(m for m in mail.outbox if email in m.to and "confirm-email" in m.body)
    path = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", letter.body).group(1)
    assert visitor.post(path).status_code == 302


def subscribe(visitor: Client, user: User, fake_stripe: FakeStripe) -> None:
    """A Pro subscription made in (fake) Stripe, its event posted to our webhook, signed."""
    from djstripe.models import WebhookEndpoint

    call_command("stripe_webhook", "https://aurastream.test")
    endpoint = WebhookEndpoint.objects.get()
    subscription = fake_stripe.subscription(customer=customer_for(user).id, price="price_pro_monthly")
    payload = json.dumps(fake_stripe.event("customer.subscription.created", subscription)).encode()
    answer = visitor.post(
        endpoint.url.removeprefix("https://aurastream.test"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=FakeStripe.sign(payload, endpoint.secret),
    )
    assert answer.status_code == 200


def timed_jobs(seconds: list[int]) -> None:
    """Finished Gemini jobs that each kept their creator waiting ``seconds``."""
    owner = UserFactory()
    now = timezone.now()
    for wait in seconds:
        job = GenerationJobFactory(user=owner, provider="gemini", spec_key="youtube.thumbnail")
        started = now - dt.timedelta(minutes=5)
        GenerationJob.objects.filter(pk=job.pk).update(
            created_at=started, started_at=started, finished_at=started + dt.timedelta(seconds=wait)
        )


def rolled_up(expected_events: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ProductEvent.objects.count() >= expected_events and DailyTraffic.objects.exists():
            return
        time.sleep(0.25)
    raise AssertionError(f"the roll-up didn't run: {ProductEvent.objects.count()} events stored")


def test_the_dashboard_shows_what_visits_and_creators_did(fake_stripe, monkeypatch):
    # Three visitors look around; two of them sign up; one goes all the way to a paid plan.
    nova, rio, kai = browser("203.0.113.1"), browser("203.0.113.2"), browser("203.0.113.3")
    nova.get("/?utm_source=twitch&utm_campaign=launch", HTTP_REFERER="https://www.twitch.tv/nova")
    rio.get("/?utm_campaign=launch")
    kai.get("/pricing/")
    kai.get("/", HTTP_DNT="1")  # asked not to be tracked: not counted
    browser("66.249.66.1").get("/", HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    creator = sign_up(nova, "nova@example.com")
    sign_up(rio, "rio@example.com")
    confirm(nova, "nova@example.com")
    assert nova.post("/brand/new/", KIT).status_code == 302
    generation.job_create(user=creator, request=JobRequest(spec_key="youtube.thumbnail", prompt="GG", seed=3))
    assert nova.get("/library/").status_code == 200
    subscribe(nova, creator, fake_stripe)
    timed_jobs(list(range(1, 21)))  # 1 … 20 seconds: p50 10 s, p95 19 s (nearest rank)

    # A worker with beat rolls the buffer up, as in production.
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    worker = Worker(beat=True, ANALYTICS_ROLLUP_SECONDS="1").start()
    try:
        # nova: signup, verified, kit, asset, subscription; rio: signup.
        rolled_up(expected_events=6)
    finally:
        worker.stop()
        celery_app.control.purge()

    staff = Client()
    staff.force_login(UserFactory(is_staff=True, email="ops@example.com"))
    page = staff.get("/admin/analytics/?range=7")
    assert page.status_code == 200
    board = page.context["board"]

    # nova, rio and kai (nova's and rio's signed-in pages are the same browsers).
    assert board.traffic.visitors == 3
    pages = DailyTraffic.objects.filter(dimension=Dimension.PAGE)
    assert board.traffic.views == sum(row.views for row in pages)
    campaigns = DailyTraffic.objects.filter(dimension=Dimension.UTM_CAMPAIGN)
    assert {row.value: row.views for row in campaigns} == {"launch": 2}
    steps = {step.label: step.count for step in board.funnel.steps}
    assert list(steps.values()) == [3, 2, 1, 1, 1, 1]

    [cohort] = [c for c in board.cohorts.cohorts if c.size]
    assert cohort.size == 2
    assert cohort.retention[0] == 100.0

    metrics = {metric.target.key: metric for metric in board.metrics.metrics}
    assert metrics["mau"].value == 2
    assert metrics["paid"].value == 1
    assert metrics["mrr"].value == 9.99
    assert metrics["assets"].value == 1
    creators = User.objects.filter(is_staff=False).count()  # nova, rio, the jobs' owner
    assert metrics["free_to_paid"].value == round(100 / creators, 1)

    [gemini] = [row for row in board.health.by_provider if row.group.lower().startswith("gemini")]
    assert (gemini.jobs, gemini.wait_p50, gemini.wait_p95) == (20, 10.0, 19.0)
    assert Journey.objects.get(user=creator).paid_at is not None
    html = page.content.decode()
    assert "$9.99" in html
    assert "<svg" in html
