from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from connections.models import Connection
from tests.fakes.platforms import FakePlatforms


@pytest.fixture
def fake(settings) -> Iterator[FakePlatforms]:
    """Twitch, YouTube and Kick played on 127.0.0.1, and the app pointed at them."""
    with FakePlatforms.running() as fake:
        settings.CONNECTION_CLIENTS = fake.settings()
        settings.CONNECTIONS_BASE_URLS = fake.origins()
        yield fake


def connect(client: Client, fake: FakePlatforms, provider: str) -> Connection:
    """Connect ``provider`` as the signed-in creator, through the pages and the platform's consent."""
    started = client.post(reverse("connections:connect", args=[provider]))
    assert started.status_code == 302, started.content
    back = urlsplit(fake.approve(started["Location"]))
    finished = client.get(back.path, dict(parse_qsl(back.query)))
    assert finished.status_code == 302, finished.content
    return Connection.objects.filter(provider=provider).latest("pk")
