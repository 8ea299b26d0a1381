"""API tokens are bound to a verified, active account as it was when they were issued: a
password change, a password wiped by a social sign-in, an email change, deactivation or "sign
out everywhere" ends them; an unverified signup gets none."""

from __future__ import annotations

from dataclasses import replace

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.test import Client
from rest_framework.test import APIClient

from aurastream.api.tokens import BoundRefreshToken
from tests.accounts.test_social_login import CREATORS, _log_in_with, providers  # noqa: F401 - providers is a fixture
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def obtain(email: str, password: str = PASSWORD):
    return APIClient().post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def me(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/v1/me/").status_code


def refresh(token: str) -> int:
    return APIClient().post("/api/v1/auth/token/refresh/", {"refresh": token}, format="json").status_code


def test_an_unverified_signup_gets_no_token():
    user = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = obtain(user.email)

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "email_not_verified"
    assert "Confirm your email" in error["message"]
    assert "access" not in response.json()


def test_a_verified_account_gets_tokens_that_work():
    user = UserFactory()
    tokens = obtain(user.email).json()
    assert me(tokens["access"]) == 200
    assert refresh(tokens["refresh"]) == 200


def test_a_password_change_ends_every_token():
    user = UserFactory()
    tokens = obtain(user.email).json()

    user.set_password("a brand new passphrase 42")
    user.save()

    assert me(tokens["access"]) == 401
    assert refresh(tokens["refresh"]) == 401
    verify = APIClient().post("/api/v1/auth/token/verify/", {"token": tokens["access"]}, format="json")
    assert verify.status_code == 401
    assert verify.json()["error"]["code"] == "token_revoked"


def test_an_email_change_and_deactivation_end_every_token():
    user = UserFactory()
    tokens = obtain(user.email).json()
    user.email = "new-address@example.com"
    user.save()
    assert me(tokens["access"]) == 401

    other = UserFactory()
    tokens = obtain(other.email).json()
    other.is_active = False
    other.save()
    assert me(tokens["access"]) == 401
    assert refresh(tokens["refresh"]) == 401


def test_sign_out_everywhere_ends_tokens_and_other_sessions_but_not_this_one():
    user = UserFactory()
    tokens = obtain(user.email).json()
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)

    response = here.post("/profile/sign-out-everywhere/", follow=True)

    assert response.status_code == 200
    assert "Signed out everywhere else" in response.content.decode()
    assert me(tokens["access"]) == 401
    assert refresh(tokens["refresh"]) == 401
    assert get_user(here).is_authenticated
    assert not get_user(elsewhere).is_authenticated
    assert elsewhere.get("/dashboard/").status_code == 302
    # A fresh sign-in works again.
    assert me(obtain(user.email).json()["access"]) == 200


def test_sign_out_everywhere_needs_a_post_and_a_signed_in_creator(client):
    assert client.post("/profile/sign-out-everywhere/").status_code == 302  # to the login page
    user = UserFactory()
    client.force_login(user)
    assert client.get("/profile/sign-out-everywhere/").status_code == 405


@pytest.mark.parametrize("provider", ["google", "discord"])
def test_the_pre_registration_chain_fails_end_to_end(client, providers, provider):  # noqa: F811 - the fixture imported above
    """An attacker signs up with the creator's address and never confirms it. They get no token;
    and a token minted for that account before (an old release issued them) dies the moment
    the real owner signs in with a provider that vouches for the address, which wipes the
    squatter's password."""
    squatted = UserFactory(email="nightowl@example.com", verified_email=False)
    EmailAddress.objects.create(user=squatted, email=squatted.email, verified=False, primary=True)
    assert obtain(squatted.email).status_code == 403
    old = BoundRefreshToken.for_user(squatted)
    assert me(str(old.access_token)) == 200  # still the squatter's own, until the owner shows up

    providers.sign_in(provider, replace(CREATORS[provider], email=squatted.email, email_verified=True))
    _log_in_with(client, providers, provider)

    squatted.refresh_from_db()
    assert not squatted.has_usable_password()
    assert me(str(old.access_token)) == 401
    assert refresh(str(old)) == 401
    assert obtain(squatted.email).status_code == 401  # the squatter's password is gone
