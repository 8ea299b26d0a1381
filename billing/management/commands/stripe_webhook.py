"""Register this server's webhook endpoint with Stripe, and keep its signing secret here.

    python manage.py stripe_webhook https://aurastream.example.com

creates the endpoint in Stripe (for the events AuraStream handles) and stores it with its
secret, so dj-stripe can verify every delivery. Run it once per Stripe mode; it prints the URL.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urljoin

import stripe
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from djstripe.models import WebhookEndpoint
from djstripe.settings import djstripe_settings

from aurastream.db import acting_user
from billing.payments import payments_configured
from billing.webhooks import ENABLED_EVENTS


class Command(BaseCommand):
    help = "Create this server's Stripe webhook endpoint and store its signing secret."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "base_url", help="The public address of this server, e.g. https://aurastream.example.com"
        )

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        if not payments_configured():
            raise CommandError("Set STRIPE_SECRET_KEY, STRIPE_PRICE_PRO and STRIPE_PRICE_STUDIO first.")
        if not base_url.startswith(("https://", "http://")):
            raise CommandError("The base URL must start with https:// (or http:// for a local test).")
        endpoint_uuid = uuid.uuid4()
        url = urljoin(base_url, reverse("djstripe:djstripe_webhook_by_uuid", kwargs={"uuid": endpoint_uuid}))
        api_key = djstripe_settings.get_default_api_key(livemode=djstripe_settings.STRIPE_LIVE_MODE)
        try:
            data = WebhookEndpoint._api_create(
                api_key=api_key,
                url=url,
                enabled_events=ENABLED_EVENTS,
                api_version=djstripe_settings.STRIPE_API_VERSION,
                metadata={"djstripe_uuid": str(endpoint_uuid)},
            )
        except stripe.StripeError as error:
            raise CommandError(f"Stripe refused the endpoint: {error.user_message or error}") from error
        with acting_user(None):  # the endpoint and its secret are system-only rows
            endpoint = WebhookEndpoint.sync_from_stripe_data(data, api_key=api_key)
        self.stdout.write(f"Stripe will send {len(ENABLED_EVENTS)} event types to {endpoint.url}")
