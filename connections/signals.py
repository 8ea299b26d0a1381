from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from aurastream import crypto

from .models import Connection


@receiver(post_delete, sender=Connection)
def revoke_and_forget(sender: type[Connection], instance: Connection, **_: Any) -> None:
    """A deleted connection (disconnected, or with its account) has its grant revoked at the
    platform and its pictures removed, once the delete has committed. A retry queued for a
    platform that is down gets the token encrypted, so the broker never holds it in clear."""
    from .tasks import token_revoke_now

    token = instance.refresh_token or instance.access_token
    if token:
        sealed = crypto.encrypt(token)
        provider = instance.provider
        transaction.on_commit(lambda: token_revoke_now(provider=provider, sealed_token=sealed))
    for picture in (instance.avatar, instance.banner):
        if picture:
            transaction.on_commit(functools.partial(picture.storage.delete, picture.name))
