from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Asset, Rendition
from .thumbnails import thumbnails_delete


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender: type[Rendition], instance: Rendition, **_: Any) -> None:
    """A deleted rendition (alone, with its asset or with its owner) leaves storage on commit."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Asset)
def delete_asset_thumbnails(sender: type[Asset], instance: Asset, **_: Any) -> None:
    """A deleted asset's grid thumbnails (library/thumbnails.py) leave storage on commit too."""
    owner_id, asset_id = instance.owner_id, instance.pk
    transaction.on_commit(lambda: thumbnails_delete(owner_id=owner_id, asset_id=asset_id))
