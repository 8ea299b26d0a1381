"""The site's URLs plus ``/bench/bare/`` (see ``benchmarks/pages_site.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    """A view that does no work of its own: what the middleware alone costs."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("aurastream.urls")),
]
