from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Rendition


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender: type[Rendition], instance: Rendition, **_: Any) -> None:
    """A deleted rendition (alone, with its asset or with its owner) leaves storage on commit."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
