"""A free creator runs out of generations, takes the upgrade prompt, and lands on Stripe
Checkout for Pro (the local fake Stripe server's hosted page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from billing.models import UsageEntry
from tests.e2e.browser import sign_in
from tests.factories import UsageEntryFactory
from tests.fakes.stripe import FakeStripe


@pytest.fixture
def free_creator_at_the_limit(creator):
    UsageEntryFactory(user=creator, quantity=3, reference="earlier:3")
    return creator


def test_a_free_creator_at_the_limit_upgrades_to_pro_through_checkout(
    page: Page, free_creator_at_the_limit, fake_stripe: FakeStripe
):
    sign_in(page, free_creator_at_the_limit.email)

    page.goto("/create/")
    page.get_by_label("Platform and asset type").select_option(label="YouTube · Thumbnail")
    page.get_by_label("Describe it").fill('Speedrun night, headline "ANY%"')
    page.get_by_role("button", name="Generate", exact=True).click()

    alert = page.get_by_role("alert").filter(has_text="You have used all 3 generations")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Upgrade to keep creating.")
    alert.get_by_role("button", name="Upgrade to Pro").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(fake_stripe.url)}/pay/cs_test_\w+$"))
    expect(page.get_by_role("heading", name="Stripe Checkout")).to_be_visible()
    (session,) = fake_stripe.calls_to("POST", "/v1/checkout/sessions")
    assert session.params["line_items[0][price]"] == "price_pro_monthly"
    assert session.params["mode"] == "subscription"
    assert session.params["allow_promotion_codes"] == "true"
    assert session.params["metadata[plan]"] == "pro"
    # Nothing was generated on the way.
    assert not UsageEntry.objects.exclude(reference="earlier:3").exists()
