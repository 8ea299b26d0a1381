"""Secrets encrypted at rest with Fernet (``cryptography``): the channels' OAuth tokens,
webhook endpoints' signing secrets.

Fernet is AES-128-CBC with an HMAC-SHA256 over it, so a token read straight from the database
is unreadable and a changed one is refused. ``MultiFernet`` holds every key in
``CONNECTION_TOKEN_KEYS`` (newest first): the first encrypts, any decrypts, and ``rotate``
re-encrypts under the first (``manage.py rotate_connection_keys``). Without keys in settings
one is derived from ``SECRET_KEY`` with HKDF, so the embedded default works unconfigured.
"""

from __future__ import annotations

import base64
import functools
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)


def _derived_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"aurastream connection tokens")
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode()))


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret: str) -> MultiFernet:
    material = [key.encode() for key in keys] or [_derived_key(secret)]
    return MultiFernet([Fernet(key) for key in material])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.CONNECTION_TOKEN_KEYS), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str | None:
    """The clear text, or None when no key in settings opens it (a key removed too soon)."""
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None


def rotate(token: str) -> str:
    """The same secret under the newest key (InvalidToken when no key opens it)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text column holding Fernet tokens: Python sees the clear text, the database never.

    An empty value is stored empty. A value no key opens reads as "" (and is logged): the
    connection then asks its creator to reconnect instead of failing every page that lists it.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        clear = decrypt(value)
        if clear is None:
            logger.warning("An encrypted %s could not be decrypted with the configured keys", self.name)
            return ""
        return clear

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
