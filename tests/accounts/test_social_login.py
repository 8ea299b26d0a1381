"""Social login with Google, Twitch and Discord, end to end through allauth's real client code.

The providers are played by `tests.fakes.oauth.FakeProviders`, a real HTTP server on 127.0.0.1;
see its docstring for how allauth's calls reach it. The browser is Django's test client for
AuraStream's pages and a requests session for the provider's consent page.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib import auth
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertTemplateUsed

from accounts.models import User
from tests.accounts.social import CREATORS, consent, leave_for_provider, log_in_with
from tests.factories import PASSWORD, UserFactory
from tests.fakes.oauth import FakeProviders

pytestmark = pytest.mark.django_db

ALL_PROVIDERS = ["google", "twitch", "discord"]
# Providers whose emails count as verified: Google and Discord say so per profile
# (`email_verified`, `verified`); Twitch's Helix API only returns verified addresses, which
# the settings declare (VERIFIED_EMAIL).
PROVIDERS_THAT_VERIFY_EMAIL = ["google", "twitch", "discord"]
# Providers that can report an address they did not verify.
PROVIDERS_WITH_UNVERIFIED_EMAILS = ["google", "discord"]

# What the creator's profile starts as: Google's given + family name, Twitch's display name,
# and for Discord its display name (`global_name`), not the handle.
EXPECTED_DISPLAY_NAME = {"google": "Night Owl", "twitch": "NightOwl", "discord": "Night Owl"}
EMAIL_TAKEN = "An account already exists with this email address."


def _signed_in_user(client: Client) -> User | None:
    user = auth.get_user(client)
    return user if isinstance(user, User) else None


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
def test_new_creator_gets_an_account_linked_to_the_provider(
    client: Client, providers: FakeProviders, provider: str
) -> None:
    creator = CREATORS[provider]
    providers.sign_in(provider, creator)

    response = log_in_with(client, providers, provider)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    user = User.objects.get()
    assert user.email == creator.email
    assert user.display_name == EXPECTED_DISPLAY_NAME[provider]
    assert not user.has_usable_password()
    # Google and Discord vouch for the address; a Twitch address still has to be confirmed.
    assert EmailAddress.objects.get(user=user).verified is (provider in PROVIDERS_THAT_VERIFY_EMAIL)
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid, account.user) == (provider, creator.uid, user)
    assert _signed_in_user(client) == user
    assert client.get("/dashboard/").status_code == 200


def test_google_login_uses_pkce(client: Client, providers: FakeProviders) -> None:
    """The fake refuses the code unless the verifier matches the challenge sent at authorize."""
    providers.sign_in("google", CREATORS["google"])

    authorize_url = leave_for_provider(client, "google")
    response = client.get(consent(providers, authorize_url))

    assert parse_qs(urlsplit(authorize_url).query)["code_challenge_method"] == ["S256"]
    assert response.status_code == 302
    assert "code_verifier" in providers.called("google", "token")[0].params
    assert _signed_in_user(client) is not None


@pytest.mark.parametrize("provider", PROVIDERS_THAT_VERIFY_EMAIL)
def test_verified_provider_email_links_the_existing_account(
    client: Client, providers: FakeProviders, provider: str
) -> None:
    existing = UserFactory(email="nightowl@example.com")
    providers.sign_in(provider, replace(CREATORS[provider], email=existing.email, email_verified=True))

    response = log_in_with(client, providers, provider)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert User.objects.get() == existing
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid, account.user) == (provider, CREATORS[provider].uid, existing)
    assert _signed_in_user(client) == existing
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD), "a verified owner keeps their password"


@pytest.mark.parametrize("provider", PROVIDERS_THAT_VERIFY_EMAIL)
def test_verified_provider_email_locks_out_whoever_registered_the_address_unverified(
    client: Client, providers: FakeProviders, provider: str
) -> None:
    """Someone signed up with the creator's address but never confirmed it: the creator, whose
    provider vouches for the address, gets the account and the squatter's password stops working."""
    squatted = UserFactory(email="nightowl@example.com", verified_email=False)
    providers.sign_in(provider, replace(CREATORS[provider], email=squatted.email, email_verified=True))

    log_in_with(client, providers, provider)

    assert _signed_in_user(client) == squatted
    squatted.refresh_from_db()
    assert not squatted.has_usable_password()
    assert not Client().login(email=squatted.email, password=PASSWORD)


@pytest.mark.parametrize("provider", PROVIDERS_WITH_UNVERIFIED_EMAILS)
def test_unverified_provider_email_does_not_take_over_an_existing_account(
    client: Client, providers: FakeProviders, provider: str
) -> None:
    existing = UserFactory(email="nightowl@example.com")
    providers.sign_in(provider, replace(CREATORS[provider], email=existing.email, email_verified=False))

    response = log_in_with(client, providers, provider)

    # allauth parks the login on its sign-up form, pre-filled with the provider's address...
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    form_page = client.get(response["Location"])
    assertTemplateUsed(form_page, "socialaccount/signup.html")
    assert existing.email in form_page.content.decode()
    # ...and submitting it as is tells the visitor the address already has an account.
    refused = client.post(response["Location"], {"email": existing.email})
    assert refused.status_code == 200
    assert EMAIL_TAKEN in refused.content.decode()
    assert _signed_in_user(client) is None
    assert User.objects.get() == existing
    assert not SocialAccount.objects.exists()
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)


@pytest.mark.parametrize("provider", PROVIDERS_WITH_UNVERIFIED_EMAILS)
def test_unverified_provider_email_does_not_take_over_an_account_in_production(
    client: Client,
    providers: FakeProviders,
    settings,
    django_capture_on_commit_callbacks,
    provider: str,
) -> None:
    """production.py makes verification mandatory: allauth then hides that the address has an
    account (no enumeration) and emails its owner instead of showing the sign-up form."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
    existing = UserFactory(email="nightowl@example.com")
    providers.sign_in(provider, replace(CREATORS[provider], email=existing.email, email_verified=False))

    with django_capture_on_commit_callbacks(execute=True):
        response = log_in_with(client, providers, provider)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert _signed_in_user(client) is None
    assert User.objects.get() == existing
    assert not SocialAccount.objects.exists()
    assert [message.to for message in mail.outbox] == [[existing.email]]


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
def test_returning_creator_signs_in_to_the_same_account(
    client: Client, providers: FakeProviders, provider: str
) -> None:
    providers.sign_in(provider, CREATORS[provider])
    log_in_with(client, providers, provider)
    first_user = _signed_in_user(client)
    client.post("/accounts/logout/")
    assert _signed_in_user(client) is None

    response = log_in_with(client, providers, provider)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert _signed_in_user(client) == first_user
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
def test_signed_in_creator_connects_a_provider_account(
    client: Client, providers: FakeProviders, provider: str
) -> None:
    """Linking by hand works for every provider, Twitch included, whatever its email says."""
    creator = UserFactory(email="creator@example.com")
    client.force_login(creator)
    providers.sign_in(provider, replace(CREATORS[provider], email_verified=False))

    response = log_in_with(client, providers, provider, process="connect")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/"
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid, account.user) == (provider, CREATORS[provider].uid, creator)
    assert _signed_in_user(client) == creator
    assert User.objects.count() == 1


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
@pytest.mark.parametrize("state", ["forged-state", None], ids=["forged", "missing"])
def test_callback_without_the_state_we_issued_is_refused(
    client: Client, providers: FakeProviders, provider: str, state: str | None
) -> None:
    providers.sign_in(provider, CREATORS[provider])
    callback = urlsplit(consent(providers, leave_for_provider(client, provider)))
    query = {key: values[0] for key, values in parse_qs(callback.query).items()}
    query.pop("state")
    if state:
        query["state"] = state

    response = client.get(callback.path, query)

    assert response.status_code == 401
    assertTemplateUsed(response, "socialaccount/authentication_error.html")
    assert not providers.called(provider, "token"), "the code must not be redeemed"
    assert _signed_in_user(client) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
def test_callback_is_refused_when_the_provider_rejects_the_code_exchange(
    client: Client, providers: FakeProviders, settings, provider: str
) -> None:
    """The fake checks the client secret like the real provider, so the tests above prove that
    allauth sends the configured one."""
    settings.SOCIALACCOUNT_PROVIDERS[provider]["APPS"] = [{**providers.app(provider), "secret": "stale"}]
    providers.sign_in(provider, CREATORS[provider])

    response = log_in_with(client, providers, provider)

    assert response.status_code == 401
    assertTemplateUsed(response, "socialaccount/authentication_error.html")
    assert [call.params["client_secret"] for call in providers.called(provider, "token")] == ["stale"]
    assert _signed_in_user(client) is None
    assert not User.objects.exists()


@pytest.mark.parametrize("provider", ALL_PROVIDERS)
def test_closed_signups_turn_away_a_new_creator(
    client: Client, providers: FakeProviders, settings, provider: str
) -> None:
    settings.ACCOUNT_ALLOW_SIGNUPS = False
    providers.sign_in(provider, CREATORS[provider])

    response = log_in_with(client, providers, provider)

    assert response.status_code == 200
    assertTemplateUsed(response, "account/signup_closed.html")
    assert _signed_in_user(client) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_login_page_offers_only_the_configured_providers(client: Client, settings) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {
        name: {**config, "APPS": []} for name, config in settings.SOCIALACCOUNT_PROVIDERS.items()
    }
    settings.SOCIALACCOUNT_PROVIDERS["twitch"]["APPS"] = [
        {"client_id": "twitch-client-id", "secret": "twitch-secret", "key": ""}
    ]

    page = client.get("/accounts/login/").content.decode()

    assert "/accounts/twitch/login/" in page
    assert "/accounts/google/login/" not in page
    assert "/accounts/discord/login/" not in page
