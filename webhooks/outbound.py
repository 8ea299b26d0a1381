"""Sending a webhook without letting its URL reach inside our network (SSRF).

Every URL, at save time and at each attempt and redirect, is parsed and its host resolved
once through ``resolver`` (the hook tests replace); the request is refused when any address
the name resolves to is private, loopback, link-local, multicast, reserved, unspecified,
shared (CGNAT, 100.64.0.0/10), an IPv6 form of those (IPv4-mapped, 6to4, NAT64), or a cloud
metadata service. The connection then goes to the address that was checked, never resolving
the name again (a second answer could point inside: DNS rebinding), while the TLS handshake
(SNI and the certificate's name) and the Host header carry the URL's own name.

``WEBHOOKS_ALLOW_PRIVATE`` (development and tests: local receivers) lets private addresses
through, but never a metadata service; ``WEBHOOKS_REQUIRE_HTTPS`` refuses plain http.
Redirects are followed by hand, at most ``MAX_REDIRECTS``, each target checked like the first.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

CONNECT_TIMEOUT_S = 3.0
READ_TIMEOUT_S = 5.0
# However a receiver drips its answer, an attempt ends after this long.
TOTAL_TIMEOUT_S = 15.0
# The most of an answer that is read; the rest is never downloaded.
MAX_RESPONSE_BYTES = 64 * 1024
MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}

METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
SHARED = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv6 addresses that carry an IPv4 one


class Refused(Exception):
    """A URL we won't send to (its scheme, or where its name points)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unreachable(Exception):
    """The receiver couldn't be reached or didn't answer in time: worth another attempt."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


# The resolver hook: tests replace it to make a name resolve to a private address.
resolver: Callable[[str, int], list[str]] = resolve


def _embedded(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str) -> str | None:
    """Why an address may not be sent to, or None."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded(ip) or ip
    if ip in METADATA:
        return "a cloud metadata service"
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return None
    if ip.is_loopback:
        return "this server (loopback)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified or ip.is_reserved:
        return "a reserved address"
    if ip.is_private or (isinstance(ip, ipaddress.IPv4Address) and ip in SHARED) or not ip.is_global:
        return "a private network address"
    return None


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to call it (``host``)."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


def url_check(url: str) -> Target:
    """The URL, checked and resolved; Refused says why not (and Unreachable when its name
    doesn't resolve)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused("That isn't a valid URL.") from error
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        raise Refused("Use an http or https URL with a host name.")
    if scheme != "https" and settings.WEBHOOKS_REQUIRE_HTTPS:
        raise Refused("Webhook URLs must use https.")
    if parts.username is not None or parts.password is not None:
        raise Refused("Leave credentials out of the URL.")
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolver(host, port)
        except (OSError, UnicodeError) as error:
            raise Unreachable(f"{host} could not be resolved.") from error
    if not addresses:
        raise Unreachable(f"{host} could not be resolved.")
    for address in addresses:
        refusal = address_refusal(address)
        if refusal:
            raise Refused(f"{host} points at {refusal}; webhooks only go to public addresses.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url=url, scheme=scheme, host=host, port=port, path=path, address=addresses[0])


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # at most MAX_RESPONSE_BYTES
    truncated: bool


def _pool(target: Target) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,  # SNI
            assert_hostname=target.host,  # the certificate names the URL's host, not the address
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False, maxsize=1)


def _read(response: urllib3.BaseHTTPResponse, deadline: float) -> tuple[bytes, bool]:
    body = bytearray()
    for chunk in response.stream(8192, decode_content=False):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES or time.monotonic() > deadline:
            return bytes(body[:MAX_RESPONSE_BYTES]), True
    return bytes(body), False


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url`` and its redirects (each checked), reading at most
    ``MAX_RESPONSE_BYTES`` of the answer."""
    deadline = time.monotonic() + TOTAL_TIMEOUT_S
    for _ in range(MAX_REDIRECTS + 1):
        target = url_check(url)
        pool = _pool(target)
        try:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers={**headers, "Host": target.host_header},
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                location = response.headers.get("Location")
                if response.status in REDIRECTS and location:
                    try:
                        url = urljoin(url, location)
                    except ValueError:
                        raise Refused("The endpoint redirected to an address that isn't a URL.") from None
                    continue
                content, truncated = _read(response, deadline)
                return Answer(status=response.status, body=content, truncated=truncated)
            finally:
                response.release_conn()
                response.close()
        except urllib3.exceptions.HTTPError as error:
            raise Unreachable(_describe(error)) from error
        finally:
            pool.close()
    raise Refused(f"More than {MAX_REDIRECTS} redirects.")


def _describe(error: Exception) -> str:
    # NewConnectionError is a ConnectTimeoutError to urllib3: ask about it first.
    if isinstance(error, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ProtocolError):
        return "The receiver couldn't be reached."
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "The receiver didn't answer in time."
    if isinstance(error, urllib3.exceptions.SSLError):
        return "The receiver's TLS certificate was refused."
    return f"The request failed: {type(error).__name__}."
