"""With the database unreachable, pages and the API answer 503 with Retry-After, not 500.

tests/faults/ stops a real PostgreSQL; here the failure is injected where the database is
first needed, as psycopg reports a refused connection."""

from __future__ import annotations

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db

REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    monkeypatch.setattr("aurastream.middleware.set_acting_user", refuse)


def test_a_page_answers_a_styled_503_with_retry_after(client, user, database_down):
    client.force_login(user)
    client.raise_request_exception = False

    response = client.get("/library/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "database recovers" in page
    assert "Traceback" not in page


def test_the_api_answers_503_json_with_retry_after(api_client, user, database_down):
    api_client.force_login(user)
    api_client.raise_request_exception = False

    response = api_client.get("/api/v1/generations/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "unavailable"


def test_a_real_server_error_is_still_a_500(client, user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("aurastream.middleware.set_acting_user", broken)
    client.force_login(user)
    client.raise_request_exception = False

    response = client.get("/library/")

    assert response.status_code == 500
    assert "Retry-After" not in response
