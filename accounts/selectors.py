"""Reads about creators' accounts, always for a given user."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from aurastream.db import acting_user

from .models import EmailKind, EmailOptOut, Notification, User


def user_email_verified(*, user: User) -> bool:
    """Whether any of the creator's addresses is verified."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def notification_list(*, user: User, limit: int = 30) -> QuerySet[Notification]:
    """The creator's latest notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get(*, user: User, notification_id: int) -> Notification:
    """One of the creator's notifications; another creator's is DoesNotExist, like a missing one."""
    return Notification.objects.get(user=user, pk=notification_id)


def notification_last_id(*, user_id: int) -> int:
    """The newest notification's id (0 without any): a socket pushes only what comes after."""
    with acting_user(user_id):
        last = Notification.objects.filter(user_id=user_id).order_by("-id").values_list("id", flat=True)
        return last.first() or 0


def notifications_after(*, user_id: int, after_id: int) -> list[Notification]:
    """The creator's notifications newer than ``after_id``, oldest first (a socket's poll)."""
    with acting_user(user_id):
        return list(Notification.objects.filter(user_id=user_id, pk__gt=after_id).order_by("id")[:20])


def email_kinds_wanted(*, user: User) -> set[str]:
    """The kinds of email the creator still receives."""
    off = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return set(EmailKind.values) - off
