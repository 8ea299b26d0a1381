"""Signing in with Google, Twitch or Discord through Django's test client, the providers
played by the ``providers`` fixture (tests.fakes.oauth.FakeProviders)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client

from tests.fakes.oauth import FakeProviders, ProviderUser

CREATORS = {
    "google": ProviderUser(uid="109876543210987654321", email="nightowl@gmail.com", name="Night Owl"),
    "twitch": ProviderUser(uid="141981764", email="nightowl@example.com", name="NightOwl"),
    "discord": ProviderUser(uid="80351110224678912", email="nightowl@example.com", name="Night Owl"),
}


def leave_for_provider(client: Client, provider: str, **form: str) -> str:
    """Press the provider's button; return where AuraStream sends the browser."""
    response = client.post(f"/accounts/{provider}/login/", form)
    assert response.status_code == 302
    return response["Location"]


def consent(providers: FakeProviders, authorize_url: str) -> str:
    """Approve AuraStream at the provider; return the callback URL the provider sends back."""
    response = providers.browser().get(authorize_url, allow_redirects=False)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def log_in_with(client: Client, providers: FakeProviders, provider: str, **form: str) -> HttpResponse:
    callback_url = consent(providers, leave_for_provider(client, provider, **form))
    return client.get(callback_url)
