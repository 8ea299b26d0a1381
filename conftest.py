"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, PlanGrantFactory, UserFactory


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
        return real_connect(self, address)  # type: ignore[arg-type]  # address as the caller gave it

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """With DATABASE_APP_ROLE on PostgreSQL (as .ci/run does), build the test database as the
    owner, the way ``migrate`` runs in production, then run the whole suite as the app's role,
    so row-level security binds every test as it binds the app."""
    from django.db import connections

    from aurastream.sockets import close_database_connections

    connection = connections["default"]
    owner = connection.settings_dict["USER"]
    role = _app_role()
    if not role:
        yield
        # The websockets' database threads outlive each test: their connections must go
        # before the test database can be dropped.
        close_database_connections()
        return
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            # Flushing between transactional tests truncates tables: a test database only.
            cursor.execute(
                f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {connection.ops.quote_name(role)}"
            )
        connections.close_all()
    connection.settings_dict["USER"] = role
    connection.settings_dict["PASSWORD"] = os.environ.get("DATABASE_APP_PASSWORD", "")
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            connections.close_all()
            close_database_connections()
        connection.settings_dict["USER"] = owner


def _app_role() -> str:
    from django.conf import settings
    from django.db import connection

    role = settings.DATABASE_APP_ROLE
    if connection.vendor != "postgresql" or role == connection.settings_dict["USER"]:
        return ""
    return str(role)


_in_request: ContextVar[bool] = ContextVar("in_request", default=False)
_as_the_app: ContextVar[bool] = ContextVar("as_the_app", default=False)


@pytest.fixture
def as_the_worker() -> Callable[[], Any]:
    """A block of the test that runs as the app outside a request (a task, a command): its
    queries are not the test's, so whatever it doesn't name the acting user for sees nothing,
    as in production."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def block() -> Iterator[None]:
        token = _as_the_app.set(True)
        try:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('app.user_id', '', true)")
            yield
        finally:
            _as_the_app.reset(token)

    return block


@pytest.fixture(autouse=True)
def _a_fresh_local_cache() -> None:
    """Each test starts without cached per-creator reads (accounts.shell, billing's
    standing_cache): ids are given again (a rolled-back test's on SQLite, a new test
    database's), so a creator's must not outlive their test. The Redis cache is shared with
    other work: only those keys go."""
    from django.core.cache import cache

    delete_pattern = getattr(cache, "delete_pattern", None)  # django-redis
    if delete_pattern is not None:
        delete_pattern("shell:*")
        delete_pattern("billing:standing:*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _test_code_works_as_the_system() -> Iterator[None]:
    """A test's own queries (factories, assertions on rows, a socket test's setup in asgiref's
    thread) are system work: they act for no creator. The app is left alone: requests (the
    test client's, the live server's) and anything inside ``acting_user`` must name who they
    act for exactly as in production, where a query naming nobody sees nothing."""
    from django.core.signals import request_finished, request_started
    from django.db import connections
    from django.db.backends.signals import connection_created
    from django.test.client import ClientHandler

    from aurastream import db

    if connections["default"].vendor != "postgresql":
        yield
        return
    pid = os.getpid()
    wrapped: list[Any] = []

    def as_system(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if (
            _in_request.get()
            or _as_the_app.get()
            or sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
        ):
            return execute(sql, params, many, context)
        if not context["connection"].in_atomic_block:
            # No transaction, so no marker whatever the context says: one of its own.
            with db.acting_user(None):
                return execute(sql, params, many, context)
        if not db._in_scope.get():
            # A transaction of the test's own: system work, unless it already names someone.
            raw = context["connection"].connection
            if not raw.execute("SELECT current_setting('app.user_id', true)").fetchone()[0]:
                transaction_id = raw.execute("SELECT txid_current()").fetchone()[0]
                raw.execute("SELECT set_config('app.user_id', %s, true)", [db.marker(None, transaction_id)])
        return execute(sql, params, many, context)

    def wrap(connection: Any, **_: Any) -> None:
        # Not in a forked server child (tests/e2e/asgi.py): that is the app.
        if os.getpid() == pid and as_system not in connection.execute_wrappers:
            connection.execute_wrappers.append(as_system)
            wrapped.append(connection)

    def started(**_: Any) -> None:
        _in_request.set(True)

    def finished(**_: Any) -> None:
        _in_request.set(False)

    def client_request(self: Any, environ: Any) -> Any:
        # A streamed response finishes its request only once read: the test's code between
        # (reading it, say) is the test's again.
        try:
            return client_call(self, environ)
        finally:
            _in_request.set(False)

    client_call = ClientHandler.__call__
    ClientHandler.__call__ = client_request  # type: ignore[method-assign]  # undone after the test
    request_started.connect(started, dispatch_uid="tests:in_request")
    request_finished.connect(finished, dispatch_uid="tests:in_request")
    connection_created.connect(wrap, dispatch_uid="tests:as_system")
    wrap(connections["default"])
    scope = db._in_scope.set(False)
    user = db._acting_user_id.set(None)
    try:
        yield
    finally:
        ClientHandler.__call__ = client_call  # type: ignore[method-assign]  # Django's own, back
        connection_created.disconnect(dispatch_uid="tests:as_system")
        request_started.disconnect(dispatch_uid="tests:in_request")
        request_finished.disconnect(dispatch_uid="tests:in_request")
        for connection in wrapped:
            if as_system in connection.execute_wrappers:
                connection.execute_wrappers.remove(as_system)
        db._acting_user_id.reset(user)
        db._in_scope.reset(scope)
        _in_request.set(False)


@pytest.fixture
def fake_stripe(settings, monkeypatch: pytest.MonkeyPatch):
    """Stripe configured with Pro and Studio prices, its API answered by a local fake server."""
    import stripe

    from tests.fakes.stripe import SECRET_KEY, FakeStripe

    with FakeStripe.running() as server:
        monkeypatch.setattr(stripe, "api_base", server.url)
        settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = SECRET_KEY
        settings.STRIPE_PRICE_PRO = "price_pro_monthly"
        settings.STRIPE_PRICE_STUDIO = "price_studio_monthly"
        server.price("price_pro_monthly", amount=999, name="AuraStream Pro")
        server.price("price_studio_monthly", amount=2999, name="AuraStream Studio")
        yield server


@pytest.fixture
def providers(settings, monkeypatch: pytest.MonkeyPatch):
    """Google, Twitch and Discord configured, as the env vars do in production, and played by a
    local fake server that allauth's calls are routed to."""
    from django.utils.module_loading import import_string

    from tests.fakes.oauth import FakeProviders

    with FakeProviders.running() as fake:
        settings.SOCIALACCOUNT_PROVIDERS = {
            name: {**config, "APPS": [fake.app(name)]}
            for name, config in settings.SOCIALACCOUNT_PROVIDERS.items()
        }
        adapter_class = import_string(settings.SOCIALACCOUNT_ADAPTER)
        real_session = adapter_class.get_requests_session
        monkeypatch.setattr(
            adapter_class, "get_requests_session", lambda adapter: fake.route(real_session(adapter))
        )
        yield fake


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


@pytest.fixture
def pro(user):
    """``user``, on the Pro plan."""
    PlanGrantFactory(user=user, plan="pro")
    return user


@pytest.fixture
def studio(user):
    """``user``, on the Studio plan."""
    PlanGrantFactory(user=user, plan="studio")
    return user


@pytest.fixture
def pro_client(client, pro):
    client.force_login(pro)
    return client


@pytest.fixture
def studio_client(client, studio):
    client.force_login(studio)
    return client


@pytest.fixture
def staff_client(client):
    """The test client signed in as an operator with every admin permission."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the run's throwaway media and broker folders."""
    import shutil

    from django.conf import settings

    folder = getattr(settings, "TEST_VAR_DIR", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
