from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .api.errors import json_error
from .context_processors import THEMES
from .outages import DATABASE_DOWN, DATABASE_DOWN_MESSAGE, RETRY_AFTER_SECONDS, ServiceUnavailable
from .types import HtmxHttpRequest


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """The public home page; its plan cards come from billing's ``{% plan_cards %}`` tag."""
    return render(request, "landing.html")


@require_POST
def theme_set(request: HtmxHttpRequest) -> HttpResponse:
    """Remember dark or light for this browser; works as a plain form without JavaScript."""
    theme = request.POST.get("theme", "dark")
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    # htmx callers flip the page's class themselves; plain forms come back to the page.
    response = HttpResponse(status=204) if request.htmx else HttpResponseRedirect(target)
    if theme in THEMES:
        response.set_cookie("theme", theme, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return json_error(request, 404, "not_found", "Not found.")
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when what failed is a dependency that is down (the
    database unreachable, a service refusing work for now): Django calls this while handling
    the exception, so ``sys.exc_info()`` names it."""
    error = sys.exc_info()[1]
    if isinstance(error, (ServiceUnavailable, *DATABASE_DOWN)):
        message = error.message if isinstance(error, ServiceUnavailable) else DATABASE_DOWN_MESSAGE
        code = error.code if isinstance(error, ServiceUnavailable) else "unavailable"
        if _is_api(request):
            response: HttpResponse = json_error(request, 503, code, message)
        else:
            response = HttpResponse(loader.get_template("503.html").render({"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _is_api(request):
        return json_error(request, 500, "server_error", "Something went wrong on our side.")
    # No request context: whatever broke may be what a context processor needs.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return json_error(request, 403, "permission_denied", "You do not have permission to do that.")
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return json_error(request, 400, "bad_request", "Bad request.")
    return render(request, "400.html", status=400)
