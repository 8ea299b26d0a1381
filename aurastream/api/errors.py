"""One error shape for the whole API:

{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aurastream.outages import DATABASE_DOWN, DATABASE_DOWN_MESSAGE, RETRY_AFTER_SECONDS, ServiceUnavailable

logger = logging.getLogger(__name__)


def error_body(status_code: int, code: str, message: str, fields: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceUnavailable):
        return unavailable_response(exc.code, exc.message, exc.retry_after)
    if isinstance(exc, DATABASE_DOWN):
        logger.warning("database unreachable: %s", exc)
        return unavailable_response("unavailable", DATABASE_DOWN_MESSAGE, RETRY_AFTER_SECONDS)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 handling takes over
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = error_body(response.status_code, "invalid", "Some fields are not valid.", fields)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (list, dict)) else "Request failed."
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(response.status_code, str(code), message)
    elif isinstance(exc, Http404):
        response.data = error_body(404, "not_found", "Not found.")
    elif isinstance(exc, PermissionDenied):
        response.data = error_body(403, "permission_denied", "You do not have permission to do that.")
    return response


def validation_response(error: DjangoValidationError) -> Response:
    """A service's ValidationError as the API answers it: 400 with the fields, or 422 when an
    Idempotency-Key comes back with a different request."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    if "spec_key" in fields:
        fields["asset_type"] = fields.pop("spec_key")
    if hasattr(error, "error_dict"):
        for item in error.error_dict.get("idempotency_key", ()):
            if item.code == "idempotency_key_reused":
                return Response(
                    error_body(422, "idempotency_key_reused", " ".join(item.messages)), status=422
                )
    return Response(error_body(400, "invalid", "Some fields are not valid.", fields), status=400)


def unavailable_response(code: str, message: str, retry_after: int) -> Response:
    """503 with Retry-After: a dependency is down for now; nothing was changed."""
    response = Response(error_body(503, code, message), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def json_error(request: HttpRequest, status_code: int, code: str, message: str) -> JsonResponse:
    """The same shape for errors Django answers before DRF (unknown API URLs, crashes)."""
    return JsonResponse(error_body(status_code, code, message), status=status_code)
