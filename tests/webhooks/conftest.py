from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.fakes.receiver import FakeReceiver
from webhooks import outbound

# Production's rules: public https addresses only.
PRODUCTION = {"WEBHOOKS_ALLOW_PRIVATE": False, "WEBHOOKS_REQUIRE_HTTPS": True}


@pytest.fixture
def receiver() -> Iterator[FakeReceiver]:
    with FakeReceiver.running() as fake:
        yield fake


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The resolver hook: names a test maps to addresses (anything else doesn't resolve)."""
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"{host} does not resolve")
        return table[host]

    resolver: Callable[[str, int], list[str]] = resolve
    monkeypatch.setattr(outbound, "resolver", resolver)
    return table


@pytest.fixture
def production(settings) -> None:
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
