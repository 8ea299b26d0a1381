from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import services
from .models import User

# Set in the session by signing up: the dashboard says "Welcome" once, then "Welcome back".
FIRST_VISIT_SESSION_KEY = "accounts.first_visit"


@receiver(post_delete, sender=User)
def delete_avatar_file(sender: type[User], instance: User, **_: Any) -> None:
    """A deleted account's avatar leaves storage once the delete has committed."""
    if instance.avatar:
        name, storage = instance.avatar.name, instance.avatar.storage
        transaction.on_commit(lambda: storage.delete(name))


@receiver(user_signed_up)
def welcome_new_creator(sender: object, request: object, user: User, **_: Any) -> None:
    """Every new account (password or social sign-up) gets the welcome email, after commit."""
    services.welcome_email_send(user=user)


@receiver(user_signed_up)
def record_signup(sender: object, request: object, user: User, **kwargs: Any) -> None:
    """Count the sign-up, by how it was made: "email", or the provider's id (google, twitch,
    discord)."""
    sociallogin = kwargs.get("sociallogin")
    services.signup_record(user=user, method=sociallogin.account.provider if sociallogin else "email")


@receiver(email_confirmed)
def record_email_verified(sender: object, request: object, email_address: EmailAddress, **_: Any) -> None:
    services.email_verified_record(email_address=email_address)


@receiver(user_signed_up)
def mark_first_visit(sender: object, request: Any, user: User, **_: Any) -> None:
    """The session that signed up (kept through the sign-in that follows) is a first visit."""
    if request is not None and hasattr(request, "session"):
        request.session[FIRST_VISIT_SESSION_KEY] = True
