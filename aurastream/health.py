"""Liveness (`/healthz`) and readiness (`/readyz`) probes for load balancers and operators."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable

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
    token = uuid.uuid4().hex
    cache.set("readyz:probe", token, 10)
    if cache.get("readyz:probe") != token:
        raise RuntimeError("cache did not return what was written")


def check_broker() -> None:
    from aurastream.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
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


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Each dependency with its state; 503 naming the failing ones when any is down."""
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the class name says which kind
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    failing = [name for name, result in results.items() if not result["ok"]]
    body = {
        "status": "unavailable" if failing else "ok",
        "failing": failing,
        "checks": results,
    }
    return JsonResponse(body, status=503 if failing else 200)
