"""What Google's Gemini API checks before any model runs, shared by the image fake
(``tests.fakes.gemini``) and the coach's chat fake (``tests.fakes.gemini_chat``): the API key,
the model, unknown field names, and errors in Google's envelope
``{"error": {code, message, status}}`` (https://ai.google.dev/api/generate-content).
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Protocol

API_VERSION = "v1beta"

# Field names both fakes understand, in the API's lowerCamelCase. Google rejects a request naming
# anything else ("Invalid JSON payload received. Unknown name ..."), and so do the fakes, so a
# wrongly spelled or Vertex-only option fails in tests as it would in production.
REQUEST_FIELDS = {
    "contents",
    "generationConfig",
    "safetySettings",
    "systemInstruction",
    "tools",
    "toolConfig",
    "cachedContent",
}
GENERATION_CONFIG_FIELDS = {
    "candidateCount",
    "maxOutputTokens",
    "responseModalities",
    "seed",
    "stopSequences",
    "temperature",
    "thinkingConfig",
    "topK",
    "topP",
}
PART_FIELDS = {"text", "inlineData", "fileData", "thought", "thoughtSignature"}

# Google's status names for the HTTP codes tests script (google.rpc.Code).
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
NO_CONTENTS = "* GenerateContentRequest.contents: contents is not specified"
ERROR_MESSAGES = {
    403: "Permission denied: Consumer does not have access to this model.",
    429: "Resource has been exhausted (e.g. check quota).",
    500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    503: "The model is overloaded. Please try again later.",
}


class Call(Protocol):
    """What the checks read of a request a fake received."""

    method: str
    path: str

    @property
    def model(self) -> str | None: ...

    @property
    def api_key(self) -> str | None: ...


def error_body(status: int, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "code": status,
        "message": message,
        "status": _STATUS_NAMES.get(status, "UNKNOWN"),
    }
    if details:
        error["details"] = details
    return {"error": error}


def scripted_error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """The envelope of an error a test scripts: Google's own words for the common codes."""
    return error_body(status, message or ERROR_MESSAGES.get(status, "Request failed."))


class Rejected(Exception):
    """Google refused the request: ``status`` and ``body`` are its answer."""

    def __init__(self, status: int, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(status, message, details)


def get_field(message: dict[str, Any], name: str) -> Any:
    """A field by its lowerCamelCase name, also found under the proto's snake_case name.

    Google's JSON parser takes both spellings, and the SDK mixes them: it writes the
    request's own fields in camelCase but copies a part's blob as is (`mime_type`).
    """
    return message.get(name, message.get(re.sub(r"([A-Z])", lambda m: "_" + m[1].lower(), name)))


def check_fields(where: str, given: dict[str, Any], known: set[str]) -> None:
    """Refuse a field name Google does not know at ``where``."""
    for name in given:
        # Google's JSON parser takes a proto's own snake_case names as well as lowerCamelCase.
        camel = re.sub(r"_([a-z])", lambda m: m[1].upper(), name)
        if camel not in known:
            raise Rejected(
                400,
                f"Invalid JSON payload received. Unknown name \"{name}\" at '{where}': Cannot find field.",
            )


def check_method(call: Call) -> None:
    """Only POSTs to a model's method are answered."""
    if call.method != "POST" or call.model is None:
        raise Rejected(404, f"Method not found: {call.method} {call.path}")


def check_caller(call: Call, *, api_key: str, models: set[str]) -> None:
    """Refuse a request without the key, with another key, or for a model the API does not serve,
    as Google does."""
    if not call.api_key:
        raise Rejected(
            403,
            "Method doesn't allow unregistered callers (callers without established identity)."
            " Please use API Key or other form of API consumer identity to call this API.",
        )
    if not secrets.compare_digest(call.api_key, api_key):
        raise Rejected(
            400,
            "API key not valid. Please pass a valid API key.",
            [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                }
            ],
        )
    if call.model not in models:
        raise Rejected(
            404,
            f"models/{call.model} is not found for API version {API_VERSION}, or is not supported"
            " for generateContent. Call ListModels to see the list of available models and"
            " their supported methods.",
        )
