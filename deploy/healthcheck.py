"""Container health probe: exits 0 when the server in this container answers 200.

    python deploy/healthcheck.py [URL]      (default: http://127.0.0.1:8000/healthz)

The Dockerfile's HEALTHCHECK probes gunicorn's /healthz; compose probes /readyz on `web` and
daphne's port on `ws`. Standard library only, because the slim image has no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def probe_host() -> str | None:
    """A host name Django accepts: the first concrete entry of ALLOWED_HOSTS.

    Django answers 400 to any other Host, and the container's own address is rarely listed.
    """
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = entry.strip()
        if host and host != "*":
            # ".example.com" allows example.com and its subdomains.
            return host.lstrip(".")
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect (say, to HTTPS on a path that is not exempt) is an answer, not health."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else DEFAULT_URL
    if not url.startswith("http://"):
        print(f"healthcheck: expected an http:// URL, got {url!r}")
        return 2
    host = probe_host()
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310 - http only, checked above
    # No proxies from the environment and no redirects: only this container's answer counts.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)
    timeout = float(os.environ.get("HEALTHCHECK_TIMEOUT", "5"))
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            body = response.read(500)
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read(500)
    except OSError as exc:
        print(f"healthcheck: {url}: {exc}")
        return 1
    # Shown by `docker inspect`: keep it to one short line.
    print(f"healthcheck: {url}: HTTP {status} {' '.join(body.decode('utf-8', 'replace').split())}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
