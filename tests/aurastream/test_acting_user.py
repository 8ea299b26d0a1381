"""Every unit of work runs with the acting user set on its transaction (RLS keys on it)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aurastream.celery import ACTING_USER_HEADER, carry_acting_user
from aurastream.db import acting_user, current_acting_user_id

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="app.user_id is a PostgreSQL setting"
)


def setting() -> str | None:
    """Who the database believes the transaction acts for (the verified marker's subject)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_acting_subject()")
        return cursor.fetchone()[0]


def subjects(queries: CaptureQueriesContext) -> list[str]:
    """Whom each ``app.user_id`` marker written during ``queries`` named ('' for nobody)."""
    found = re.findall(
        r"set_config\('app\.user_id', '([^':]*)", " ".join(q["sql"] for q in queries.captured_queries)
    )
    return list(found)


def test_acting_user_sets_and_restores_the_context():
    assert current_acting_user_id() is None
    with acting_user(7):
        assert current_acting_user_id() == 7
        with acting_user(9):
            assert current_acting_user_id() == 9
        assert current_acting_user_id() == 7
    assert current_acting_user_id() is None


@postgres_only
def test_acting_user_is_local_to_the_transaction():
    with acting_user(42):
        assert setting() == "42"
        with acting_user(43):
            assert setting() == "43"
        # The inner block's setting must not leak into the outer user's remaining work.
        assert setting() == "42"


@postgres_only
def test_app_role_cannot_bypass_row_level_security():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        is_superuser, bypasses_rls = cursor.fetchone()
    if connection.settings_dict["USER"] in ("postgres", "root"):
        pytest.skip("running as an administrator role; CI connects as the app role")
    assert (is_superuser, bypasses_rls) == (False, False)


@postgres_only
def test_a_signed_in_request_runs_as_its_user(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me/").status_code == 200

    # The session and its account are found as the system, the request then acts for its
    # user, and the test's own transaction goes back to naming nobody.
    named = subjects(queries)
    assert named[0] == "system"
    assert named.count(str(user.pk)) == 1
    assert set(named) == {"system", str(user.pk), ""}
    assert named[-1] == ""


@postgres_only
def test_a_token_request_runs_as_the_token_user(api_client, user, password):
    access = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json"
    ).json()["access"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/v1/me/").status_code == 200

    # Anonymous until the token is read inside the view, then the token's user (which is also
    # what lets its account be read), then the test's own transaction goes back to naming nobody.
    assert subjects(queries) == ["0", str(user.pk), ""]


def test_queued_tasks_carry_the_user_who_queued_them():
    headers: dict[str, object] = {}
    with acting_user(11):
        carry_acting_user(headers=headers)

    assert headers[ACTING_USER_HEADER] == 11


def test_a_task_runs_as_the_user_in_its_headers():
    from aurastream.celery import app

    seen: list[int | None] = []

    @app.task(name="tests.acting_user_probe", shared=False)
    def probe() -> None:
        seen.append(current_acting_user_id())

    probe.apply(headers={ACTING_USER_HEADER: 5})

    assert seen == [5]
    assert current_acting_user_id() is None
