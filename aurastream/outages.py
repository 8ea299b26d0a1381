"""When a dependency is down: what counts as "down", and the answer a creator gets.

Pages and the API answer 503 with ``Retry-After`` (``aurastream.views.server_error`` and the
API's exception handler) when the database is unreachable or a service raises
``ServiceUnavailable``; docs/ARCHITECTURE.md ("Failure modes") says what each outage does.
"""

from __future__ import annotations

import logging
import threading

import redis
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

logger = logging.getLogger(__name__)

# The database can't be reached (stopped, restarting, network): a transient outage, unlike a
# programming error. psycopg's connection errors reach Django code as these two.
DATABASE_DOWN: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# The broker refused a message or couldn't be reached.
BROKER_DOWN: tuple[type[Exception], ...] = (
    BrokerOperationalError,
    redis.ConnectionError,
    redis.TimeoutError,
    ConnectionError,
    TimeoutError,
    OSError,
)

RETRY_AFTER_SECONDS = 30


class ServiceUnavailable(Exception):
    """A dependency the request needs is down: answer 503 with this message, change nothing."""

    code = "unavailable"

    def __init__(self, message: str, *, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class GenerationPaused(ServiceUnavailable):
    """The job queue can't take work: nothing is accepted or charged until it can."""

    code = "generation_paused"

    def __init__(self) -> None:
        super().__init__(
            "Generation is paused for a moment: we can't reach our job queue. Nothing was "
            "charged; please try again in a minute."
        )


DATABASE_DOWN_MESSAGE = (
    "AuraStream is briefly unavailable while our database recovers. Nothing you did was lost; "
    "please try again in a moment."
)

_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def _redis_client(url: str) -> redis.Redis:
    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
            _clients[url] = client
        return client


def broker_available() -> bool:
    """Whether the job queue answers within half a second (always, on the embedded broker)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return True
    try:
        return bool(_redis_client(url).ping())
    except redis.RedisError as error:
        logger.warning("job queue unreachable: %s", error)
        return False


def require_broker() -> None:
    """Raise GenerationPaused unless the job queue can take a job now."""
    if not broker_available():
        raise GenerationPaused
