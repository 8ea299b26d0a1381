from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import User


@receiver(post_delete, sender=User)
def delete_avatar_file(sender: type[User], instance: User, **_: Any) -> None:
    """A deleted account's avatar leaves storage once the delete has committed."""
    if instance.avatar:
        name, storage = instance.avatar.name, instance.avatar.storage
        transaction.on_commit(lambda: storage.delete(name))
