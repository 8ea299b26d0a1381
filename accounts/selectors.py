"""Reads about creators' accounts, always for a given user."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from .models import User


def user_email_verified(*, user: User) -> bool:
    """Whether any of the creator's addresses is verified."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()
