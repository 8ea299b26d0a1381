"""Reads of coach sessions: lists show the current workspace's, one is found in any workspace the
creator belongs to."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from workspaces.access import account_id, member_workspaces
from workspaces.current import in_current

from .models import CoachMessage, CoachSession


def session_list(*, user: User | int) -> QuerySet[CoachSession]:
    """The current workspace's sessions, latest activity first, with how many messages each
    has."""
    user_id = account_id(user)
    return (
        CoachSession.objects.filter(in_current(user_id))
        .select_related("brand_kit")
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at")
    )


def session_get(*, user: User | int, session_id: uuid.UUID | str) -> CoachSession:
    """The creator's session, or 404: another creator's session is indistinguishable from none."""
    return get_object_or_404(
        CoachSession.objects.select_related("brand_kit"), pk=session_id, workspace__in=member_workspaces(user)
    )


def session_get_for_undo(*, user: User | int, session_id: uuid.UUID | str) -> CoachSession:
    """The creator's session, deleted or not (for undoing its delete), or 404."""
    return get_object_or_404(CoachSession.all_objects, pk=session_id, workspace__in=member_workspaces(user))


def session_messages(*, session: CoachSession) -> QuerySet[CoachMessage]:
    return session.messages.order_by("created_at", "id")
