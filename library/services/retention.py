"""Retention: Free-plan assets expire (creators who pay keep everything), with a notice before."""

from __future__ import annotations

import datetime as dt

from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from accounts.emails import email_build
from accounts.models import EmailKind, Notification, User
from accounts.services import email_enqueue, notify
from aurastream.db import acting_user
from billing.entitlements import plan_for

from ..models import Asset
from .deleting import delete_for_owners, owners_of


def assets_expire(*, now: dt.datetime | None = None) -> int:
    """Delete Free-plan assets past their expiry, files included. A creator who now pays keeps
    everything: their expiry dates are cleared instead."""
    now = now or timezone.now()
    expired = Asset.objects.filter(expires_at__lte=now)
    removed = 0
    for owner_id in owners_of(expired):
        with acting_user(owner_id):
            keeps_everything = plan_for(owner_id).asset_retention_days is None
            if keeps_everything:
                Asset.objects.filter(owner_id=owner_id, expires_at__isnull=False).update(expires_at=None)
        if keeps_everything:
            continue
        removed += delete_for_owners(expired.filter(owner_id=owner_id))
    return removed


def expiry_notices_send(*, now: dt.datetime | None = None) -> int:
    """Email each Free-plan creator whose assets expire within ``LIBRARY_EXPIRY_NOTICE_DAYS``,
    once: the assets are marked notified in the same transaction the email is queued in.
    Returns how many creators were emailed."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.LIBRARY_EXPIRY_NOTICE_DAYS)
    due = Asset.objects.filter(
        expires_at__gt=now, expires_at__lte=horizon, expiry_notified_at__isnull=True, deleted_at__isnull=True
    )
    sent = 0
    for owner_id in owners_of(due):
        with acting_user(owner_id):
            retention_days = plan_for(owner_id).asset_retention_days
            if retention_days is None:
                continue  # they pay now and keep everything; assets_expire clears the dates
            theirs = due.filter(owner_id=owner_id)
            first_expiry = theirs.aggregate(first=Min("expires_at"))["first"]
            # Marking first makes a concurrent run find nothing left to announce.
            count = theirs.update(expiry_notified_at=now)
            if not count:
                continue
            owner = User.objects.get(pk=owner_id)
            message = _expiry_notice(
                owner, count=count, first_expiry=first_expiry, retention_days=retention_days
            )
            if message is not None:  # None: they switched these emails off; the bell still says it
                email_enqueue(message=message)
            notify(
                user_id=owner_id,
                kind=Notification.Kind.ASSETS_EXPIRING,
                message=("One of your assets expires" if count == 1 else f"{count} of your assets expire")
                + f" in {settings.LIBRARY_EXPIRY_NOTICE_DAYS} days or less: download what you want to keep.",
                link=reverse("library:list"),
            )
        sent += 1
    return sent


def _expiry_notice(
    owner: User, *, count: int, first_expiry: dt.datetime, retention_days: int
) -> EmailMultiAlternatives | None:
    context = {
        "user": owner,
        "count": count,
        "retention_days": retention_days,
        "expires_on": first_expiry,
        "library_url": build_absolute_uri(None, reverse("library:list")),
        "upgrade_url": build_absolute_uri(None, reverse("billing:pricing")),
    }
    return email_build(
        user=owner, template="library/email/expiry_notice", context=context, kind=EmailKind.EXPIRY
    )
