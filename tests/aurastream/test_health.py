from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time

import pytest
from channels.layers import channel_layers
from django.core.cache import caches

from aurastream.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_dependencies(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_every_dependency(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "storage", "channel_layer"}
    assert all(check["ok"] for check in body["checks"].values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(settings, monkeypatch):
    """A Redis server of this test's own, with cache, broker and channel layer pointed at it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed on this machine")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the installed redis-server, fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    if "django_redis" not in settings.CACHES["default"]["BACKEND"]:  # the embedded default
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
            }
        }
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}
    }
    monkeypatch.setattr(celery_app.conf, "broker_url", url)
    monkeypatch.setattr(settings, "CELERY_BROKER_URL", url)
    monkeypatch.setattr(celery_app.conf, "broker_transport_options", {"socket_connect_timeout": 1})
    caches._settings = caches.settings = settings.CACHES  # type: ignore[attr-defined]  # Django's cached copy
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(5)
    channel_layers.backends.clear()


def test_readyz_names_what_fails_when_redis_stops(client, own_redis):
    channel_layers.backends.clear()
    assert client.get("/readyz").status_code == 200

    own_redis.terminate()
    own_redis.wait(5)
    channel_layers.backends.clear()
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert set(body["failing"]) == {"cache", "broker", "channel_layer"}
    assert body["checks"]["database"]["ok"] is True
    assert "Connection" in body["checks"]["cache"]["error"]


def test_readyz_answers_within_its_deadline_when_redis_freezes(client, own_redis):
    channel_layers.backends.clear()
    assert client.get("/readyz").status_code == 200

    own_redis.send_signal(signal.SIGSTOP)  # accepts connections, never answers
    try:
        started = time.monotonic()
        response = client.get("/readyz")
        took = time.monotonic() - started
    finally:
        own_redis.send_signal(signal.SIGCONT)
        channel_layers.backends.clear()

    assert response.status_code == 503
    assert {"cache", "broker", "channel_layer"} <= set(response.json()["failing"])
    assert response.json()["checks"]["database"]["ok"] is True
    assert took < 2.5  # the load balancer's probe is never held


def test_with_redis_down_the_api_and_pages_keep_answering(client, api_client, user, own_redis):
    """The cache only holds rate-limit counters and previews: it fails open (logged)."""
    own_redis.terminate()
    own_redis.wait(5)
    api_client.force_login(user)
    client.force_login(user)

    assert api_client.get("/api/v1/me/").status_code == 200
    assert client.get("/library/").status_code == 200
    created = api_client.post(
        "/api/v1/generations/",
        {"platform": "youtube", "asset_type": "thumbnail", "prompt": "ranked night"},
        format="json",
    )
    assert created.status_code == 503
    assert "Generation is paused" in created.json()["error"]["message"]
