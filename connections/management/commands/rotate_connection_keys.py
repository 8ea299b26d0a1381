"""Re-encrypt every connection's tokens under the newest key in CONNECTION_TOKEN_KEYS.

Rotation: put a new key first in CONNECTION_TOKEN_KEYS (keep the old ones after it), deploy,
run this, then drop the old keys. A token no configured key opens is left as it is and
counted: its connection asks its creator to reconnect.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand
from django.db import connection as db
from django.db import transaction

from aurastream import crypto
from aurastream.db import acting_user


class Command(BaseCommand):
    help = "Re-encrypt the platform connections' OAuth tokens under the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = unreadable = 0
        with acting_user(None), transaction.atomic(), db.cursor() as cursor:
            lock = " FOR UPDATE" if db.features.has_select_for_update else ""
            cursor.execute(f"SELECT id, access_token, refresh_token FROM connections_connection{lock}")  # noqa: S608  # no input in it
            for row_id, *tokens in cursor.fetchall():
                try:
                    fresh = [crypto.rotate(token) if token else token for token in tokens]
                except InvalidToken:
                    unreadable += 1
                    continue
                cursor.execute(
                    "UPDATE connections_connection SET access_token = %s, refresh_token = %s WHERE id = %s",
                    [*fresh, row_id],
                )
                rotated += 1
        self.stdout.write(
            f"Rotated {rotated} connection(s); {unreadable} unreadable with the configured keys."
        )
