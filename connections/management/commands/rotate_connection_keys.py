"""Re-encrypt every secret kept under CONNECTION_TOKEN_KEYS with the newest key: the
connections' tokens and the webhook endpoints' signing secrets.

Rotation: put a new key first in CONNECTION_TOKEN_KEYS (keep the old ones after it), deploy,
run this, then drop the old keys. A value no configured key opens is left as it is and
counted: its connection asks its creator to reconnect, its endpoint needs its secret rotated.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand
from django.db import connection as db
from django.db import transaction

from aurastream import crypto
from aurastream.db import acting_user

# The tables and columns holding ``aurastream.crypto.EncryptedTextField`` values.
ENCRYPTED = {
    "connections_connection": ("access_token", "refresh_token"),
    "webhooks_endpointsecret": ("secret",),
}


class Command(BaseCommand):
    help = "Re-encrypt the connections' OAuth tokens and webhook secrets under the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_user(None), transaction.atomic():
            for table, columns in ENCRYPTED.items():
                rotated, unreadable = self._rotate(table, columns)
                self.stdout.write(
                    f"Rotated {rotated} row(s) of {table}; {unreadable} unreadable with the configured keys."
                )

    def _rotate(self, table: str, columns: tuple[str, ...]) -> tuple[int, int]:
        rotated = unreadable = 0
        lock = " FOR UPDATE" if db.features.has_select_for_update else ""
        names = ", ".join(columns)
        with db.cursor() as cursor:
            cursor.execute(f"SELECT id, {names} FROM {table}{lock}")  # noqa: S608  # our own names, no input
            for row_id, *values in cursor.fetchall():
                try:
                    fresh = [crypto.rotate(value) if value else value for value in values]
                except InvalidToken:
                    unreadable += 1
                    continue
                assignments = ", ".join(f"{column} = %s" for column in columns)
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*fresh, row_id])  # noqa: S608  # our own names, no input
                rotated += 1
        return rotated, unreadable
