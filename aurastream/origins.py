"""Which browser origins may open a websocket: the site's own, compared as a whole.

An origin is scheme, host and port together. A socket is accepted only when its ``Origin``
is exactly the origin the page was served from (the socket's own host, with ``https`` when the
connection is secure, directly or behind a proxy that says so through
``SECURE_PROXY_SSL_HEADER``) or one of ``CSRF_TRUSTED_ORIGINS``, and its host is one of
``ALLOWED_HOSTS``. ``http://127.0.0.1:9999`` is refused for a site on ``http://127.0.0.1:8000``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin1"))
    return ""


def _normalise(origin: str) -> str:
    """``scheme://host[:port]`` in lower case, the default port left out; "" when malformed."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return ""
    try:
        port = parts.port
    except ValueError:
        return ""
    default = 443 if parts.scheme == "https" else 80
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host.lower()}" + (f":{port}" if port and port != default else "")


def is_secure(scope: dict[str, Any]) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        header, value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
        return _header(scope, name).split(",")[0].strip().lower() == value
    return False


def origin_allowed(scope: dict[str, Any]) -> bool:
    origin = _normalise(_header(scope, b"origin"))
    host = _header(scope, b"host")
    if not origin or not host:
        return False
    domain, _ = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    own = _normalise(f"{'https' if is_secure(scope) else 'http'}://{host}")
    trusted = {_normalise(value) for value in settings.CSRF_TRUSTED_ORIGINS}
    return origin == own or origin in trusted


class SameOriginValidator:
    """ASGI middleware: websockets from any other origin are closed before they reach a consumer."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
