"""Fixtures shared by the whole suite."""

from __future__ import annotations

import socket

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may only talk to this machine: any other address fails loudly."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in (
            "127.0.0.1",
            "::1",
            "localhost",
        ):
            raise OSError(f"tests must not reach {host!r}: only 127.0.0.1 is allowed")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def fake_stripe(settings, monkeypatch: pytest.MonkeyPatch):
    """Stripe configured with Pro and Studio prices, its API answered by a local fake server."""
    import stripe

    from tests.fake_stripe import SECRET_KEY, fake_stripe_server

    with fake_stripe_server() as server:
        monkeypatch.setattr(stripe, "api_base", server.url)
        settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = SECRET_KEY
        settings.STRIPE_PRICE_PRO = "price_pro_monthly"
        settings.STRIPE_PRICE_STUDIO = "price_studio_monthly"
        server.price("price_pro_monthly", amount=999, name="AuraStream Pro")
        server.price("price_studio_monthly", amount=2999, name="AuraStream Studio")
        yield server


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db: None):
    return UserFactory()


@pytest.fixture
def other_user(db: None):
    return UserFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def auth_client(client, user):
    client.force_login(user)
    return client


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the run's throwaway media and broker folders."""
    import shutil

    from django.conf import settings

    folder = getattr(settings, "TEST_VAR_DIR", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
