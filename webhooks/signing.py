"""Standard Webhooks (https://www.standardwebhooks.com, v1) signatures.

A secret is ``whsec_`` followed by the base64 of 24 to 32 random bytes; the HMAC key is those
bytes. A message is signed as ``v1,`` + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")),
and ``webhook-signature`` carries one such entry per live secret, separated by spaces, so a
receiver that still holds the previous secret during a rotation keeps verifying.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

PREFIX = "whsec_"
SECRET_BYTES = 32


class BadSecret(ValueError):
    """A secret that isn't ``whsec_`` + base64."""


def secret_new() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key a secret stands for."""
    encoded = secret.removeprefix(PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise BadSecret("A webhook secret is whsec_ followed by base64.") from error


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` entry."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secrets_: Iterable[str], *, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of a signed message: one signature per live secret, newest first."""
    signatures = [signature(s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets_]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }
