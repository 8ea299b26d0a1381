"""Every write to accounts: profiles, avatars, deletion, the demo creator."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from PIL import Image, ImageOps
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from aurastream.db import acting_user
from aurastream.uploads import open_uploaded_image

from .models import User

AVATAR_SIZE = 256


def _avatar_file(upload: UploadedFile) -> ContentFile[bytes]:
    """Re-encode an uploaded avatar: square, 256 px, WebP, metadata stripped, new name."""
    image = open_uploaded_image(
        upload, max_bytes=settings.AVATAR_MAX_BYTES, max_pixels=settings.AVATAR_MAX_PIXELS
    )
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA")
    image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=88, method=4)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp")


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = User._meta.get_field("avatar").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    display_name: str,
    timezone: str,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
) -> User:
    """Save the creator's profile. A new avatar replaces (and deletes) the old file.

    Everything is validated before a file is written, so bad input changes nothing.
    """
    user.display_name = display_name.strip()
    user.timezone = timezone
    user.full_clean(exclude=["password", "avatar"])
    old_avatar = user.avatar.name if user.avatar else ""
    storage = User._meta.get_field("avatar").storage
    if avatar is not None:
        new_file = _avatar_file(avatar)  # raises ValidationError before anything is stored
        user.avatar.save(new_file.name, new_file, save=False)
        try:
            user.save()
        except Exception:
            storage.delete(user.avatar.name)
            raise
        _delete_file_on_commit(old_avatar)
        return user
    if remove_avatar and old_avatar:
        user.avatar = None
        _delete_file_on_commit(old_avatar)
    user.save()
    return user


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> None:
    """End every API token and every browser session of ``user`` (the caller keeps its own
    session by updating its auth hash afterwards)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
        user.refresh_from_db(fields=["token_version"])
        outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
        )


def user_delete(*, user: User) -> None:
    """Delete the creator's account with everything they own, rows and files.

    Rows go through the database's cascades; each model that owns files removes them after
    the commit (see the post_delete receivers), so a failed delete leaves every file in place.
    It runs as system work: the cascade also clears rows that only point at the account (its
    refresh tokens, its Stripe customer), which belong to no one once it is gone.
    """
    with acting_user(None):
        user.delete()


def demo_creator_ensure(*, email: str, password: str) -> User:
    """Create (or reset the password of) the demo creator account the run command prints."""
    from allauth.account.models import EmailAddress

    with acting_user(None):  # an operator's command: finds the account by its address
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, display_name="Demo Creator")
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def user_notify(*, user_id: int, kind: str, message: str, **data: object) -> None:
    """Push a live event to every open tab of the creator (a toast, a progress step)."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from .consumers import user_group

    layer = get_channel_layer()
    if layer is None:
        return
    payload = {"kind": kind, "message": message, **data}
    async_to_sync(layer.group_send)(user_group(user_id), {"type": "notify", "payload": payload})


def email_enqueue(*, message: EmailMessage) -> None:
    """Send an email from the worker once the current transaction commits.

    The web request never waits on the mail server, and a rolled-back signup sends nothing.
    """
    from .tasks import email_send

    payload: dict[str, Any] = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "alternatives": [
            [content, mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
            if isinstance(content, str)
        ],
        "headers": dict(message.extra_headers),
    }
    transaction.on_commit(lambda: email_send.delay(payload))


def email_deliver(*, message: dict[str, Any]) -> None:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or None,
    )
    for content, mimetype in message.get("alternatives", []):
        email.attach_alternative(content, mimetype)
    email.send()
