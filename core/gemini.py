"""The Gemini Developer API as every AuraStream provider calls it (google-genai SDK).

Both Gemini providers (the image model, `generation.engine.providers.gemini`, and the coach,
`coach.engine.gemini`) build their client, sort what went wrong and wait before sending again
here; each keeps its own request, its own reading of the answer and its own words for the
creator. What is sent again also stays with each provider: an image call is resent after a
429/5xx or a refused connection, a coach reply only before its first token.

The SDK is imported inside the functions, so the app starts without it configured.
"""

from __future__ import annotations

import importlib
import logging
import random
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from google import genai
    from google.genai import errors as genai_errors

# Google is rate-limiting us or having trouble of its own: the same request can succeed later.
RETRY_STATUSES = frozenset({429, *range(500, 600)})
# The API's seed is an int32; the engine's and the sessions' seeds may be wider.
SEED_RANGE = 2**31

# What went wrong with one call:
# - busy: 429 or 5xx; key_rejected: 400 API_KEY_INVALID, 401 or 403; model_not_found: 404;
#   bad_request: any other 400; refused: any other answer with an error status;
# - timed_out: no answer within the timeout; unreachable: the connection was refused;
#   interrupted: any other transport failure (most often a connection dropped mid-answer);
# - unexpected: anything else the SDK raises (an answer it could not parse…).
Failure = Literal[
    "busy",
    "key_rejected",
    "model_not_found",
    "bad_request",
    "refused",
    "timed_out",
    "unreachable",
    "interrupted",
    "unexpected",
]


def client(*, api_key: str, base_url: str | None, timeout_s: float) -> genai.Client:
    """A google-genai client for the Gemini Developer API, as every AuraStream provider uses it.

    Always the Developer API (whatever GOOGLE_GENAI_USE_VERTEXAI says), pinned to v1beta (where
    image output, response schemas and the Google Search tool are documented, so neither the
    SDK's default nor GOOGLE_GENAI_API_VERSION moves requests), ``base_url`` None for Google's
    own endpoint (tests point it at a local server), and no SDK retries: each provider decides
    what is sent again (the SDK would also resend after a timeout, or in the middle of a
    stream). The timeout is per read, so a stream may run longer while chunks keep coming.
    """
    # Imported here, not at module level: the app (and the local providers) must start on a
    # machine where the SDK is not configured.
    from google import genai
    from google.genai import types

    return genai.Client(
        vertexai=False,
        api_key=api_key,
        http_options=types.HttpOptions(
            base_url=base_url, api_version="v1beta", timeout=round(timeout_s * 1000)
        ),
    )


class GeminiModel:
    """What each Gemini provider holds: its model, its client and how often it sends again.

    ``max_retries`` None is the provider's ``default_retries``; settings always name it.
    """

    default_retries = 3

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        timeout_s: float = 60,
        max_retries: int | None = None,
        base_url: str | None = None,
        backoff_s: float = 1.0,
    ) -> None:
        if not api_key.strip():
            # Said here, in our words, rather than by the SDK's ValueError at first use.
            raise ValueError(f"{type(self).__name__} needs an API key: set GEMINI_API_KEY.")
        self.model = model
        self._max_retries = max(0, self.default_retries if max_retries is None else max_retries)
        self._backoff_s = backoff_s
        self._client = client(api_key=api_key, base_url=base_url, timeout_s=timeout_s)

    def _retry_delay(self, attempt: int, logger: logging.Logger) -> float:
        """Seconds to wait before retry ``attempt + 1``: exponential, with jitter."""
        delay = self._backoff_s * 2**attempt
        # Up to half as much again at random, so callers throttled together come back apart.
        delay += random.uniform(0, delay / 2)  # noqa: S311  # jitter, not a secret
        logger.info(
            "Retrying %s in %.2fs (retry %d of %d)", self.model, delay, attempt + 1, self._max_retries
        )
        return delay


class TransportErrors(NamedTuple):
    """Exception classes of the HTTP clients the SDK may send through."""

    timeouts: tuple[type[Exception], ...]
    unreachable: tuple[type[Exception], ...]  # could not connect
    transport: tuple[type[Exception], ...]  # any transport failure, the two above included


@lru_cache(maxsize=1)
def transport_errors() -> TransportErrors:
    """google-genai sends through httpx2 by default and through httpx when
    GOOGLE_GENAI_HTTP_CLIENT says so; both raise their own classes."""
    timeouts: list[type[Exception]] = []
    unreachable: list[type[Exception]] = []
    transport: list[type[Exception]] = []
    for module_name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        unreachable.append(module.ConnectError)
        transport.append(module.TransportError)
    return TransportErrors(tuple(timeouts), tuple(unreachable), tuple(transport))


def classify(exc: Exception) -> Failure:
    """What kind of failure an exception raised by a Gemini call is."""
    from google.genai import errors

    if isinstance(exc, errors.APIError):
        return _api_failure(exc)
    transport = transport_errors()
    if isinstance(exc, transport.timeouts):
        return "timed_out"
    if isinstance(exc, transport.unreachable):
        return "unreachable"
    if isinstance(exc, transport.transport):
        return "interrupted"
    return "unexpected"


def _api_failure(exc: genai_errors.APIError) -> Failure:
    code = exc.code
    if code in RETRY_STATUSES:
        return "busy"
    # A bad key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID; a key without access
    # to the API or the model is a 403.
    if code in (401, 403) or error_reason(exc) == "API_KEY_INVALID":
        return "key_rejected"
    if code == 404:
        return "model_not_found"
    return "bad_request" if code == 400 else "refused"


def log_failure(logger: logging.Logger, service: str, failure: Failure, exc: Exception) -> None:
    """One line in the caller's log for a failed call; call it inside the ``except`` block
    (an unexpected failure logs its traceback)."""
    from google.genai import errors

    if isinstance(exc, errors.APIError):
        logger.warning("%s answered %s %s: %s", service, exc.code, exc.status, exc.message)
    elif failure == "timed_out":
        logger.warning("%s did not answer within the timeout", service)
    elif failure == "unreachable":
        logger.warning("%s could not be reached: %s", service, exc)
    elif failure == "interrupted":
        logger.warning("%s connection failed: %r", service, exc)
    else:
        logger.exception("%s call failed", service)


def error_reason(exc: genai_errors.APIError) -> str | None:
    """The `google.rpc.ErrorInfo` reason in Google's error envelope, if any."""
    details: Any = exc.details
    if isinstance(details, dict):
        details = details.get("error", details).get("details")
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    return None


def enum_name(value: object) -> str:
    """An SDK enum (or the string the API sent in its place) as its upper-case name."""
    return str(getattr(value, "value", value) or "").upper()
