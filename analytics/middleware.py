from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from aurastream import events

from . import collect

logger = logging.getLogger(__name__)


class PageViewMiddleware:
    """Count page views (analytics.collect): one buffered line per counted page, pushed after
    the response is made; never a database query, never an error for the visitor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not settings.ANALYTICS_ENABLED:
            return response
        try:
            if collect.counts(request, response):
                line = collect.page_view(request)
                if line is not None:
                    events.push(line)
        except Exception:  # a visitor's page never fails for its count (e.g. too many fields)
            logger.exception("page view not counted")
        return response
