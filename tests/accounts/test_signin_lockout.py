"""One lockout for every way to present a password: the sign-in page, API tokens, the admin's
sign-in and password reset are throttled per address and per account, a guessing run spread over
30 addresses is stopped, and the real owner still gets in through the reset email."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"


@pytest.fixture(autouse=True)
def _real_limits(settings):
    """The production limits (the test settings switch them off elsewhere), on a clean cache."""
    from aurastream.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def sign_in_page(email: str, password: str, ip: str) -> int:
    return Client(REMOTE_ADDR=ip).post("/accounts/login/", {"login": email, "password": password}).status_code


def token(email: str, password: str, ip: str) -> int:
    client = APIClient(REMOTE_ADDR=ip)
    return client.post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json"
    ).status_code


def admin_sign_in(email: str, password: str, ip: str) -> int:
    client = Client(REMOTE_ADDR=ip)
    return client.post("/admin/login/", {"username": email, "password": password}).status_code


PATHS = {"sign-in page": sign_in_page, "api token": token, "admin": admin_sign_in}


@pytest.mark.parametrize("path", PATHS)
def test_thirty_wrong_passwords_from_thirty_addresses_are_throttled(path):
    user = UserFactory(is_staff=True)
    attempt = PATHS[path]

    codes = [attempt(user.email, WRONG, f"10.1.0.{n}") for n in range(1, 31)]

    assert 429 in codes, codes
    assert codes[0] != 429
    first_refused = codes.index(429)
    assert all(code == 429 for code in codes[first_refused:])
    # Locked means locked: the right password is refused too, on every path alike.
    assert attempt(user.email, PASSWORD, "10.1.0.99") == 429
    for other in PATHS.values():
        assert other(user.email, PASSWORD, "10.1.0.98") == 429


def test_the_lockout_message_says_how_to_get_back_in():
    user = UserFactory()
    for n in range(25):
        token(user.email, WRONG, f"10.2.0.{n}")
    response = APIClient(REMOTE_ADDR="10.2.0.200").post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "reset your password" in response.json()["error"]["message"]
    assert response["Retry-After"]

    page = Client(REMOTE_ADDR="10.2.0.201").post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert page.status_code == 429
    assert (
        "reset your password" in page.content.decode().replace("\n", " ")
        or "Too many" in page.content.decode()
    )


def test_one_address_failing_locks_only_itself_not_the_owner():
    user = UserFactory()
    codes = [token(user.email, WRONG, "10.3.0.1") for _ in range(8)]
    assert codes[-1] == 429
    assert token(user.email, PASSWORD, "10.3.0.1") == 429  # this address is locked for this account
    assert token(user.email, PASSWORD, "10.3.0.2") == 200  # the owner, elsewhere, is not


def test_password_reset_requests_for_one_account_are_throttled(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        codes = [
            Client(REMOTE_ADDR=f"10.4.0.{n}")
            .post("/accounts/password/reset/", {"email": user.email})
            .status_code
            for n in range(1, 31)
        ]
    assert 429 in codes, codes
    assert len(mail.outbox) <= 5


def test_a_locked_out_owner_gets_back_in_through_the_reset_email(django_capture_on_commit_callbacks):
    user = UserFactory()
    for n in range(30):
        token(user.email, WRONG, f"10.5.0.{n}")
    assert sign_in_page(user.email, PASSWORD, "10.5.1.1") == 429

    owner = Client(REMOTE_ADDR="10.5.1.1")
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post("/accounts/password/reset/", {"email": user.email}).status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form_page = owner.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    new_password = "a fresh passphrase for 2027"
    done = owner.post(action, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    assert sign_in_page(user.email, new_password, "10.5.1.1") == 302
    assert token(user.email, new_password, "10.5.1.2") == 200
