"""Reads of coach sessions, always for their owner."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import CoachMessage, CoachSession


def session_list(*, user: User | int) -> QuerySet[CoachSession]:
    """The creator's sessions, latest activity first, with how many messages each has."""
    return (
        CoachSession.objects.filter(user=user)
        .select_related("brand_kit")
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at")
    )


def session_get(*, user: User | int, session_id: uuid.UUID | str) -> CoachSession:
    """The creator's session, or 404: another creator's session is indistinguishable from none."""
    return get_object_or_404(CoachSession.objects.select_related("brand_kit"), pk=session_id, user=user)


def session_get_for_undo(*, user: User | int, session_id: uuid.UUID | str) -> CoachSession:
    """The creator's session, deleted or not (for undoing its delete), or 404."""
    return get_object_or_404(CoachSession.all_objects, pk=session_id, user=user)


def session_messages(*, session: CoachSession) -> QuerySet[CoachMessage]:
    return session.messages.order_by("created_at", "id")
