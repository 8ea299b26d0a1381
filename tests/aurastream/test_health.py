from __future__ import annotations

import shutil
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
    process = subprocess.Popen(  # noqa: S603
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
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}
    }
    monkeypatch.setattr(celery_app.conf, "broker_url", url)
    monkeypatch.setattr(celery_app.conf, "broker_transport_options", {"socket_connect_timeout": 1})
    caches._settings = caches.settings = settings.CACHES  # type: ignore[attr-defined]
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
