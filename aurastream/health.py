"""Liveness (`/healthz`) and readiness (`/readyz`) probes for load balancers and operators."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .db import ANONYMOUS, acting_user


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    if connection.vendor == "postgresql":
        # Row-level security believes only markers signed with the key `migrate` wrote: one
        # that differs (SECRET_KEY changed, no migrate since) would show every creator nothing.
        with acting_user(ANONYMOUS), connection.cursor() as cursor:
            cursor.execute("SELECT app_acting_user()")
            if cursor.fetchone()[0] != ANONYMOUS:
                raise RowLevelSecurityKeyMismatch(
                    "the database's signing key is not this SECRET_KEY's: run migrate"
                )


class RowLevelSecurityKeyMismatch(Exception):
    """The database verifies acting-user markers with another key than this SECRET_KEY's."""


def check_cache() -> None:
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis fails open (IGNORE_EXCEPTIONS): ask Redis itself, so the probe says why.
        client.get_client(write=True).ping()
    token = uuid.uuid4().hex
    cache.set("readyz:probe", token, 10)
    if cache.get("readyz:probe") != token:
        raise RuntimeError("cache did not return what was written")


def check_broker() -> None:
    from aurastream.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
        if conn.transport.driver_type == "filesystem":
            # The filesystem broker is ready when the queue folder exists.
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
            if not os.access(str(folder), os.W_OK):
                raise RuntimeError("broker folder is not writable")
        else:
            conn.default_channel.client.ping()  # type: ignore[attr-defined]  # Redis channel


def check_storage() -> None:
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)
    else:
        default_storage.listdir("")


def check_channel_layer() -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    async_to_sync(layer.group_send)("readyz", {"type": "readyz.probe"})


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
    "channel_layer": check_channel_layer,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering. Touches no dependency."""
    return JsonResponse({"status": "ok"})


# Every probe runs in this pool, and the answer waits for them at most READY_DEADLINE_S: a
# dependency that hangs (a frozen Redis, a database that doesn't answer) shows as timed out
# instead of holding the load balancer's probe. The pool is small and shared, so probes stuck
# on a hung dependency can't pile up threads; later ones then wait in its queue and time out.
READY_DEADLINE_S = 1.5
_probes = ThreadPoolExecutor(max_workers=len(CHECKS) * 2, thread_name_prefix="readyz")


def _timed(check: Callable[[], None]) -> dict[str, object]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure means "not ready"; the class name says which kind
        result: dict[str, object] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    else:
        result = {"ok": True}
    finally:
        connection.close()  # this pool thread's own connection, if the probe opened one
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Each dependency with its state; 503 naming the failing ones when any is down. Answers
    within about READY_DEADLINE_S whatever hangs."""
    futures = {name: _probes.submit(_timed, check) for name, check in CHECKS.items()}
    deadline = time.monotonic() + READY_DEADLINE_S
    results: dict[str, dict[str, object]] = {}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(deadline - time.monotonic(), 0))
        except FutureTimeout:
            results[name] = {"ok": False, "error": "timed out", "ms": READY_DEADLINE_S * 1000}
    failing = [name for name, result in results.items() if not result["ok"]]
    body = {
        "status": "unavailable" if failing else "ok",
        "failing": failing,
        "checks": results,
    }
    return JsonResponse(body, status=503 if failing else 200)
