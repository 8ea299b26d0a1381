from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Connection


def connection_list(*, user: User) -> QuerySet[Connection]:
    return Connection.objects.filter(owner=user)


def connection_get(*, user: User, connection_id: int | str) -> Connection:
    """The creator's connection, or a 404 (another creator's is no different from none)."""
    if not str(connection_id).isdigit():
        raise Http404("No such connection.")
    return get_object_or_404(Connection, owner=user, pk=int(connection_id))
