from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import services
from .models import User


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
