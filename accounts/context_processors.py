from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from .models import Notification


def notifications(request: HttpRequest) -> dict[str, object]:
    """The bell's unread count, counted only when a template shows it (the header does)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"notifications_unread": unread}
