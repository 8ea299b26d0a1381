from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import BrandFont, BrandLogo, CreatorMedia


@receiver(post_delete, sender=BrandLogo)
def delete_logo_files(sender: type[BrandLogo], instance: BrandLogo, **_: Any) -> None:
    names = [field.name for field in (instance.original, instance.trimmed) if field]
    storage = instance.original.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@receiver(post_delete, sender=BrandFont)
def delete_font_file(sender: type[BrandFont], instance: BrandFont, **_: Any) -> None:
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=CreatorMedia)
def delete_media_file(sender: type[CreatorMedia], instance: CreatorMedia, **_: Any) -> None:
    if instance.image:
        name, storage = instance.image.name, instance.image.storage
        transaction.on_commit(lambda: storage.delete(name))
