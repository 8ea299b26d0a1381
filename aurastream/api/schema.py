"""The OpenAPI schema's error responses: every operation documents the project's one error
shape (``aurastream.api.errors``) for the failures it can answer with.

drf-spectacular documents what views return on success; this post-processing hook adds, per
operation: 400 (it takes a body or parameters), 401 (it needs a signed-in caller), 403 (a plan
or permission refuses it), 404 (its path, a filter, a page or a body names an object that is
not there), 405 (another method), 406/415 (a body it cannot read or write), 409/422 where the
view answers them, 429 (throttled) and 503 (a dependency is down).
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
                "upgrade_url": {"type": "string", "format": "uri"},
            },
        }
    },
}
DESCRIPTIONS = {
    "400": "The request is not valid: the fields and what is wrong with each.",
    "401": "No valid token or session: sign in, or refresh the token.",
    "402": "The plan has no room left: the message says what to upgrade to.",
    "403": "Not allowed (the plan, or an unverified email for tokens).",
    "404": "No such object (or another creator's).",
    "405": "That method is not allowed here.",
    "406": "The Accept header asks for a format this endpoint does not answer with.",
    "409": "The object is busy (a coach reply is streaming).",
    "413": "The body is too large.",
    "415": "The body's content type is not one this endpoint reads.",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests, or too many failed sign-ins: wait (Retry-After) and try again.",
    "503": "A service this needs is down or not set up here (payments, say): try again later.",
}


def _error_response(code: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {"400", "405", "406", "429", "503"}
            if operation.get("security") != [{}] and not _anonymous(operation):
                codes |= {"401", "403"}
            if "{" in path or operation.get("parameters") or "requestBody" in operation:
                # A path, a filter, a page or a body field naming an object that is not there.
                codes.add("404")
            if method in ("post", "put", "patch"):
                codes |= {"413", "415"}
                codes |= {"402", "409", "422"} & _declared_extra(operation)
            responses = operation["responses"]
            for code in sorted(codes):
                responses.setdefault(code, _error_response(code))
    return result


def _anonymous(operation: dict[str, Any]) -> bool:
    return {} in (operation.get("security") or [])


def _declared_extra(operation: dict[str, Any]) -> set[str]:
    """402/409/422 only where the views can answer them (creating jobs and coach messages)."""
    path_hint = " ".join(operation.get("tags", [])) + " " + operation.get("operationId", "")
    extra = {"422"} if "generat" in path_hint or "refine" in path_hint else set()
    if "generat" in path_hint or "refine" in path_hint or "coach" in path_hint:
        extra |= {"402", "409"}
    return extra
