"""Static files, media and uploads (local or S3), and the Content-Security-Policy that names
the storage's hosts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .environment import BASE_DIR, VAR_DIR, env

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
# collectstatic only runs for production (see production.py); here finders serve the files.
STATIC_ROOT = None
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
_default_storage: dict[str, Any]
if STORAGE_BACKEND == "s3":
    # Read only when S3 is chosen, so the embedded default needs none of these. Credentials
    # come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the instance's role, never from here.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            # "path" for S3-compatible servers without per-bucket host names (MinIO…).
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
            # Serves what storage.url() hands out (public files). Private library files are
            # always signed against the bucket endpoint instead (library/downloads.py).
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            # Private by default: objects are never public-read, and links are signed (SigV4,
            # which every S3-compatible service accepts).
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    # Plain finder-backed storage in the embedded default, so no collectstatic is needed.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the static folders when nothing was collected (embedded default).
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000


# --- Content-Security-Policy (django-csp) -------------------------------------------------
# Scripts only from our own origin (no inline scripts, no eval); styles may be inline (the
# colour swatches and htmx's indicator style), images also from data:/blob: URLs and the
# storage's own host (signed S3 links); sockets and fetches back to this origin only.
def _origin(url: str | None) -> list[str]:
    from urllib.parse import urlsplit

    if not url:
        return []
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


_storage_hosts = (
    _origin(env.str("AWS_S3_ENDPOINT_URL", default=None))
    + _origin(env.str("AWS_S3_CUSTOM_DOMAIN", default=None))
    + (["https://*.amazonaws.com"] if STORAGE_BACKEND == "s3" else [])
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_storage_hosts],
        "media-src": ["'self'", "blob:", *_storage_hosts],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
