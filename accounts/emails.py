"""The emails AuraStream sends about a creator's work and plan, and the creator's say over them.

Every email here is rendered from three templates (``<name>_subject.txt``, ``<name>_message.txt``
and ``<name>_message.html``, all extending ``accounts/email/base.*``), carries the site's name,
and leaves through ``services.email_enqueue`` (the ``accounts.email_send`` task, after commit).

Non-transactional emails have an ``EmailKind``: the creator can switch each kind off on the
preferences page or with one click from the email itself (RFC 8058: ``List-Unsubscribe`` with
an https URL, ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``). The link carries a signed
token naming the account and the kind, so it works signed out and can't be made for another
account or kind. Transactional emails (address verification, password reset, a failed payment)
are always sent and carry no such headers.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import EmailKind, EmailOptOut, User

UNSUBSCRIBE_SALT = "aurastream.email.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed token for one account and one kind of email. It never expires: an old email's
    link must still work (RFC 8058), and all it can do is switch that kind off."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_token_read(token: str) -> tuple[int, EmailKind] | None:
    """The account and kind a token names, or None when it is not one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in EmailKind.values:
        return None
    return user_id, EmailKind(kind)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    return build_absolute_uri(
        None, reverse("email_unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)])
    )


def email_wanted(*, user: User | int, kind: str) -> bool:
    """Whether the creator still receives this kind of email (no opt-out row)."""
    user_id = user if isinstance(user, int) else user.pk
    return not EmailOptOut.objects.filter(user_id=user_id, kind=kind).exists()


def email_build(
    *, user: User, template: str, context: dict[str, Any], kind: EmailKind | None
) -> EmailMultiAlternatives | None:
    """Render ``template`` for ``user``: subject, plain text and HTML, with the unsubscribe
    headers when ``kind`` is given (``None``: transactional). Returns None when the creator
    switched that kind off."""
    if kind is not None and not email_wanted(user=user, kind=kind):
        return None
    context = {
        "user": user,
        "greeting_name": user.display_name,  # never the email's local part
        "site_name": settings.SITE_NAME,
        "site_url": build_absolute_uri(None, "/"),
        "preferences_url": build_absolute_uri(None, reverse("email_preferences")),
        "kind_label": kind.label if kind is not None else "",
        "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=kind) if kind is not None else "",
        **context,
    }
    with timezone.override(zoneinfo.ZoneInfo(user.timezone or "UTC")):  # dates in their time zone
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}_message.txt", context)
        html = render_to_string(f"{template}_message.html", context)
    headers = {}
    if kind is not None:
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
