"""The invitation email: to an address that may have no account yet."""

from __future__ import annotations

from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.services import email_enqueue
from workspaces.models import ROLE_DESCRIPTIONS, Invitation


def invitation_email_send(*, invitation: Invitation, token: str) -> None:
    """Send the invitation's link (after commit, through the worker)."""
    inviter = invitation.invited_by
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": build_absolute_uri(None, "/"),
        "greeting_name": "",
        "team": invitation.workspace.name,
        "inviter": inviter.display_name or inviter.email if inviter else "A team admin",
        "role": invitation.get_role_display(),
        "role_description": ROLE_DESCRIPTIONS[invitation.role],  # type: ignore[index]  # a Role value
        "join_url": build_absolute_uri(None, reverse("teams:join", args=[token])),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("teams/email/invitation_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string("teams/email/invitation_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("teams/email/invitation_message.html", context), "text/html")
    email_enqueue(message=message)
