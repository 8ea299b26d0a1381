from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from aurastream import crypto

from .providers import PROVIDERS, ProviderError, Rejected, Unavailable

logger = logging.getLogger(__name__)


def token_revoke_now(*, provider: str, sealed_token: str) -> None:
    """Revoke a deleted connection's grant at its platform, at once; when the platform can't
    be reached, the task below keeps trying (and if even the queue is down, it is logged)."""
    try:
        _revoke(provider, sealed_token)
    except ProviderError:
        try:
            token_revoke.delay(provider=provider, sealed_token=sealed_token)
        except OperationalError:
            logger.warning("A %s grant could not be revoked and the job queue is down", provider)


def _revoke(provider: str, sealed_token: str) -> None:
    token = crypto.decrypt(sealed_token)
    if token is None:
        return
    try:
        PROVIDERS[provider].revoke(token)
    except Rejected:
        return  # the platform no longer knows the token: already revoked


@shared_task(
    name="connections.token_revoke",
    autoretry_for=(Unavailable, ProviderError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=12,
)
def token_revoke(provider: str, sealed_token: str) -> None:
    """Revoke a grant at its platform, retried with backoff for about half a day."""
    _revoke(provider, sealed_token)
