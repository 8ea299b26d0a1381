"""Keys for cached fragments of pages: a digest of everything a fragment shows.

A fragment cached under a digest of its inputs (the rows it draws, the querystring, the
viewer's language) and of its template's source can never be served stale or to someone it
doesn't describe: any change to any input, or a deploy that changes the markup, is a new key,
so nothing needs invalidating, and old entries simply expire. Used with ``{% cache %}`` (its
one vary-on value) and for the library's tiles.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.utils import translation


@cache
def source_digest(*paths: str) -> str:
    """A digest of these files' bytes (templates under ``templates/``, or absolute paths), read
    once per process: a deploy is a new process."""
    root = Path(settings.BASE_DIR) / "templates"
    return hashlib.sha256(b"".join((root / path).read_bytes() for path in paths)).hexdigest()[:16]


def fragment_version(templates: tuple[str, ...], *inputs: object) -> str:
    """The key of a fragment drawn by ``templates`` from ``inputs`` (values whose ``repr`` says
    everything the fragment shows of them) in the viewer's language. Django's version is part
    of it too: its form widgets' own templates come with it."""
    shown = repr((inputs, translation.get_language(), django.get_version())).encode()
    return f"{source_digest(*templates)}:{hashlib.sha256(shown).hexdigest()}"
