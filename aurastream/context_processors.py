from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

THEMES = ("dark", "light")


def shell(request: HttpRequest) -> dict[str, object]:
    """What the app shell needs on every page: the site name and the chosen theme."""
    theme = request.COOKIES.get("theme", "dark")
    return {
        "site_name": settings.SITE_NAME,
        "theme": theme if theme in THEMES else "dark",
    }
