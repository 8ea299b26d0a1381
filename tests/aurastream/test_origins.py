"""A websocket is accepted only from the site's own origin: scheme, host and port together."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from aurastream.asgi import application
from aurastream.origins import origin_allowed


def scope(origin: str, host: str = "127.0.0.1:8000", scheme: str = "ws", **headers: str) -> dict:
    extra = [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {
        "type": "websocket",
        "scheme": scheme,
        "headers": [(b"origin", origin.encode()), (b"host", host.encode()), *extra],
    }


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", "ws", False),  # another port
        ("https://127.0.0.1:8000", "127.0.0.1:8000", "ws", False),  # another scheme
        ("http://localhost:8000", "127.0.0.1:8000", "ws", False),  # another host
        ("https://localhost", "localhost", "wss", True),
        ("http://localhost", "localhost", "wss", False),  # a plain page on a secure site
        ("https://localhost:443", "localhost", "wss", True),  # the default port, written out
        ("null", "127.0.0.1:8000", "ws", False),
        ("", "127.0.0.1:8000", "ws", False),
        ("http://evil.example", "evil.example", "ws", False),  # not an allowed host
        ("http://127.0.0.1:8000/path", "127.0.0.1:8000", "ws", False),
    ],
)
def test_only_the_sites_own_origin_is_allowed(origin, host, scheme, allowed):
    assert origin_allowed(scope(origin, host, scheme)) is allowed


def test_behind_a_tls_proxy_the_forwarded_scheme_counts(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert origin_allowed(scope("https://localhost", "localhost", "ws", x_forwarded_proto="https"))
    assert not origin_allowed(scope("http://localhost", "localhost", "ws", x_forwarded_proto="https"))


def test_trusted_origins_are_allowed(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app.example.com"]
    assert origin_allowed(scope("https://app.example.com", "app.example.com", "ws"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_socket_from_another_port_is_closed_before_the_consumer():
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[(b"origin", b"http://127.0.0.1:9999"), (b"host", b"127.0.0.1:8000")],
    )
    connected, _ = await communicator.connect()
    assert not connected
    await communicator.disconnect()
