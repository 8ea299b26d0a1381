"""The database URL a benchmark's server or worker connects with: the app's role, as in
production, so row-level security binds what it measures (plain Python, no Django)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def app_role_url(url: str, role: str) -> str:
    """``url`` with the app's role (and DATABASE_APP_PASSWORD, if set) as its user; unchanged
    when it is not PostgreSQL or no role is given."""
    if not url.startswith("postgres") or not role:
        return url
    parts = urlsplit(url)
    password = os.environ.get("DATABASE_APP_PASSWORD", "")
    credentials = role + (f":{password}" if password else "")
    netloc = f"{credentials}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
