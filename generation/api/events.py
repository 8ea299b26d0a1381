"""`GET /api/v1/generations/{id}/events`: a job's progress as server-sent events.

Progress lives in the job's row (the worker commits each stage), so this works the same in
the embedded default (worker in another process, no shared channel layer) and on Redis.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase

from aurastream.api.authentication import request_user_id
from aurastream.api.errors import json_error
from aurastream.db import acting_user
from generation.models import GenerationJob

POLL_SECONDS = 0.25
HEARTBEAT_SECONDS = 15
MAX_STREAM_SECONDS = 600


def _job_exists(user_id: int, job_id: str) -> bool:
    """Only the owner's job exists, as far as anyone else can tell."""
    with acting_user(user_id):
        return GenerationJob.objects.filter(pk=job_id, user_id=user_id).exists()


def _job_state(user_id: int, job_id: str) -> dict[str, Any]:
    with acting_user(user_id):
        job = GenerationJob.objects.only(
            "id", "user_id", "status", "stage", "progress", "notice", "error", "updated_at"
        ).get(pk=job_id, user_id=user_id)
        return {
            "id": str(job.pk),
            "status": job.status,
            "stage": job.stage,
            "stage_label": job.get_stage_display(),
            "progress": job.progress,
            "notice": job.waiting_notice,
            "error": job.error,
            "finished": job.is_finished,
        }


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def generation_events(request: HttpRequest, job_id: str) -> HttpResponseBase:
    user_id = await sync_to_async(request_user_id)(request)
    if user_id is None:
        return json_error(request, 401, "not_authenticated", "Authentication credentials were not provided.")
    if not await sync_to_async(_job_exists)(user_id, job_id):
        return json_error(request, 404, "not_found", "Not found.")

    async def stream() -> AsyncIterator[str]:
        last: tuple[str, str, int, str] | None = None
        started = last_sent = time.monotonic()
        while True:
            state = await sync_to_async(_job_state)(user_id, job_id)
            key = (state["status"], state["stage"], state["progress"], state["notice"])
            if key != last:
                last, last_sent = key, time.monotonic()
                yield _event("progress", state)
            if state["finished"]:
                yield _event("done", state)
                return
            now = time.monotonic()
            if now - started > MAX_STREAM_SECONDS:
                yield _event("timeout", {"message": "Still working; reconnect to keep watching."})
                return
            if now - last_sent > HEARTBEAT_SECONDS:
                last_sent = now
                yield ": keep-alive\n\n"
            await asyncio.sleep(POLL_SECONDS)

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    # Tell nginx not to buffer the stream.
    response["X-Accel-Buffering"] = "no"
    return response
