"""Every write to accounts: profiles, avatars, deletion, the demo creator; the sign-up and
verification product events."""

from __future__ import annotations

import asyncio
import io
import logging
import uuid
from typing import Any

from allauth.account.models import EmailAddress
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from aurastream import events
from aurastream.db import acting_user
from aurastream.uploads import open_uploaded_image

from . import emails
from .models import EmailKind, EmailOptOut, Notification, User
from .shell import shell_changed

logger = logging.getLogger(__name__)

AVATAR_SIZE = 256
# A push waits at most this long for the channel layer (a frozen Redis must not hold a worker).
PUSH_TIMEOUT_S = 2.0


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

    async def send() -> None:
        await asyncio.wait_for(
            layer.group_send(user_group(user_id), {"type": "notify", "payload": payload}), PUSH_TIMEOUT_S
        )

    async_to_sync(send)()


# --- The notification centre --------------------------------------------------------------

# What a toast looks like for each kind of notification.
TOAST_LEVELS: dict[str, str] = {
    Notification.Kind.JOB_SUCCEEDED: "success",
    Notification.Kind.REFINE_DONE: "success",
    Notification.Kind.JOB_FAILED: "error",
    Notification.Kind.PAYMENT_ISSUE: "warning",
    Notification.Kind.ASSETS_EXPIRING: "warning",
}


def notify(
    *, user_id: int, kind: Notification.Kind, message: str, link: str = "", email_when_away: bool = False
) -> Notification:
    """Tell the creator something happened: a row for the bell (so nothing is lost while every
    page is closed), then, after the commit, a live event to each open tab.

    Called inside the work's own transaction, acting for the creator (or as system work). The
    push never fails the work: when the channel layer (Redis) is down it is logged and the row
    waits for the next page load. With ``email_when_away`` an email follows, unless an open tab
    received the live event within ``NOTIFICATION_EMAIL_DELAY_S`` (``notification_email_send``).
    """
    notification = Notification.objects.create(user_id=user_id, kind=kind, message=message[:300], link=link)
    shell_changed(user_id)
    transaction.on_commit(lambda: _notification_push(notification))
    if email_when_away:
        transaction.on_commit(lambda: _notification_email_later(notification))
    return notification


def notification_payload(notification: Notification) -> dict[str, Any]:
    """The live event for a stored notification: a toast (kind, message, link) that also tells
    the bell to count one more."""
    return {
        "kind": TOAST_LEVELS.get(notification.kind, "info"),
        "message": notification.message,
        "link": notification.link,
        "notification": notification.pk,
        "event": notification.kind,
    }


def _notification_push(notification: Notification) -> None:
    try:
        user_notify(user_id=notification.user_id, **notification_payload(notification))
    except Exception:  # any channel-layer failure (Redis down or frozen): the row is what matters
        logger.warning(
            "Live push of notification %s failed; it waits in the bell", notification.pk, exc_info=True
        )


def _notification_email_later(notification: Notification) -> None:
    from .tasks import notification_email

    try:
        notification_email.apply_async(
            kwargs={"user_id": notification.user_id, "notification_id": notification.pk},
            countdown=settings.NOTIFICATION_EMAIL_DELAY_S,
        )
    except Exception:  # the broker refused (Redis down): an email is not worth failing the work
        logger.warning("Could not queue the email for notification %s", notification.pk, exc_info=True)


def notification_email_send(*, user_id: int, notification_id: int) -> bool:
    """Email a finished job's notification unless the creator saw it: an open tab received it
    live (``delivered_at``) or they read it in the bell. Returns whether an email was queued."""
    with acting_user(user_id):
        notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
        if notification is None or notification.delivered_at or notification.read_at:
            return False
        message = emails.email_build(
            user=notification.user,
            template="accounts/email/job_finished",
            context={"notification": notification, "link_url": build_absolute_uri(None, notification.link)},
            kind=EmailKind.JOBS,
        )
        if message is None:
            return False
        email_enqueue(message=message)
        return True


def notifications_delivered(*, user_id: int, notification_ids: list[int]) -> int:
    """An open tab received these live: the creator was there (see notification_email_send)."""
    with acting_user(user_id):
        return Notification.objects.filter(
            user_id=user_id, pk__in=notification_ids, delivered_at__isnull=True
        ).update(delivered_at=timezone.now())


@transaction.atomic
def notification_read(*, user: User, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        shell_changed(notification.user_id)
    return notification


@transaction.atomic
def notifications_read_all(*, user: User) -> int:
    shell_changed(user.pk)
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Email preferences ----------------------------------------------------------------------


@transaction.atomic
def email_preferences_update(*, user: User, wanted: set[str]) -> None:
    """Keep sending the kinds in ``wanted``; switch every other kind off."""
    unwanted = set(EmailKind.values) - wanted
    EmailOptOut.objects.filter(user=user).exclude(kind__in=unwanted).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=kind) for kind in sorted(unwanted)], ignore_conflicts=True
    )


def email_unsubscribe(*, user_id: int, kind: EmailKind) -> bool:
    """One-click unsubscribe from a signed link: acts for the account the token names (the
    person clicking may be signed out). Returns False when the account is gone."""
    with acting_user(user_id):
        if not User.objects.filter(pk=user_id).exists():
            return False
        EmailOptOut.objects.get_or_create(user_id=user_id, kind=kind)
    return True


def signup_record(*, user: User, method: str) -> None:
    """Count a new account (``method``: "email" or the sign-in provider's id). An address the
    provider vouched for is verified from the start, and counted as verified too."""
    events.record(events.SIGNUP, user=user, method=method)
    if EmailAddress.objects.filter(user=user, verified=True).exists():
        events.record(events.EMAIL_VERIFIED, user=user, key=str(user.pk))


def email_verified_record(*, email_address: EmailAddress) -> None:
    """Count an account's first confirmed address (confirming a changed address later, while
    the old one is still verified, is no new verification)."""
    others = EmailAddress.objects.filter(user_id=email_address.user_id, verified=True)
    if not others.exclude(pk=email_address.pk).exists():
        events.record(events.EMAIL_VERIFIED, user=email_address.user_id, key=str(email_address.user_id))


def welcome_email_send(*, user: User) -> None:
    """Welcome a new creator (after signup; queued on commit)."""
    message = emails.email_build(
        user=user,
        template="accounts/email/welcome",
        context={
            "dashboard_url": build_absolute_uri(None, reverse("dashboard")),
            "brand_kits_url": build_absolute_uri(None, reverse("brandkits:list")),
            "create_url": build_absolute_uri(None, reverse("generation:generate")),
        },
        kind=EmailKind.WELCOME,
    )
    if message is not None:
        email_enqueue(message=message)


def account_email_send(*, user: User, template: str, context: dict[str, Any], kind: EmailKind | None) -> bool:
    """Send one of the emails in ``accounts.emails`` to ``user`` (other apps' emails about plans
    and assets go through here). Returns False when the creator switched that kind off."""
    message = emails.email_build(user=user, template=template, context=context, kind=kind)
    if message is None:
        return False
    email_enqueue(message=message)
    return True


def absolute_url(path: str) -> str:
    return build_absolute_uri(None, path)


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
