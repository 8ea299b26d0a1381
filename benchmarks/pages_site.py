"""Settings and URLs for ``benchmarks/pages.py``'s gunicorn: production's, plus a bare view.

The bare view is mounted only here (``ROOT_URLCONF`` points at this module when it is the
settings module), so it goes through the whole middleware stack (session, account, workspace,
acting-user transaction, analytics) and does nothing else: the floor every page is measured
against. Never deployed.
"""

from __future__ import annotations

from aurastream.settings.production import *  # noqa: F403 - the production layout, then one change

ROOT_URLCONF = "benchmarks.pages_urls"
