"""Compressing what the app writes: pages, htmx fragments and API answers, with gzip.

Django's own ``GZipMiddleware`` (no new dependency), which since Django 4.2 pads each
response's gzip header with random bytes (BREACH), while Django masks CSRF tokens per
response. It is kept to what gains: text the app renders into memory. Streamed answers are
left alone: server-sent events must reach the browser the moment they are written, and file
downloads, zips and images are already compressed (PNG, JPEG, WebP, zips of those). Static
files are compressed ahead of time by whitenoise (``.gz``/``.br`` beside each collected file),
and nginx compresses nothing (deploy/nginx/), so nothing is compressed twice.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware


def compressible(content_type: str) -> bool:
    """Text the app renders: HTML, JSON (problem details, the schema), CSS, JavaScript, XML."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "text/event-stream":
        return False
    return (
        kind.startswith("text/")
        or kind.endswith(("/json", "+json", "/xml", "+xml"))
        or kind in ("application/javascript", "image/svg+xml")
    )


class CompressionMiddleware(GZipMiddleware):
    """gzip for rendered text when the client accepts it; never for a streamed response."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.streaming or not compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
