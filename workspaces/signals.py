from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def personal_workspace(sender: type, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    """Every new account comes with its personal workspace, in the same transaction."""
    if created and not raw:
        services.personal_workspace_create(user=instance)
