from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from .shell import unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """The bell's unread count, read (from the cache, else counted) only when a template shows
    it (the header does)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        return unread_count(user.pk)

    return {"notifications_unread": unread}
