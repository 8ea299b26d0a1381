from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.cache import cache

from developers import services
from developers.models import ApiKey
from workspaces.selectors import membership_get, personal_membership


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    cache.clear()  # rate-limit counters live in the cache


@pytest.fixture
def make_key() -> Callable[..., tuple[ApiKey, str]]:
    """A key made through the service: (the row, the key in clear)."""

    def make(
        user: Any, scopes: Iterable[str] = ("read",), workspace: Any = None, **fields: Any
    ) -> tuple[ApiKey, str]:
        membership = (
            personal_membership(user=user)
            if workspace is None
            else membership_get(user=user, workspace_id=workspace.pk)
        )
        assert membership is not None
        return services.api_key_create(
            user=user, membership=membership, name="Script", scopes=scopes, **fields
        )

    return make
