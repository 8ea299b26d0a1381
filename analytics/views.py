"""The staff analytics dashboard, in the admin's look (/admin/analytics/). Staff only: a
signed-out visitor is sent to the admin's sign-in, anyone else signed in gets a 404, as if
there were nothing here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboard import charts_draw, dashboard_build, table_get
from .forms import RangeForm
from .reports.period import PRESETS

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (user.is_active and user.is_staff):
            raise Http404
        # The figures are kept by UTC day: every operator reads the same days, whatever the
        # time zone of their own profile.
        with timezone.override(dt.UTC):
            return view(request, *args, **kwargs)

    return never_cache(wrapped)


@require_GET
@staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    form = RangeForm(request.GET or None)
    period = form.period()
    board = dashboard_build(period)
    context = {
        **admin.site.each_context(request),
        # The page needs the full width for its charts.
        "is_nav_sidebar_enabled": False,
        "title": "Analytics",
        "form": form,
        "presets": PRESETS,
        "preset": form.preset(),
        "query": form.query(),
        "period": period,
        "previous": period.previous(),
        "board": board,
        "tables": board.tables(),
        "charts": charts_draw(board),
    }
    return render(request, "analytics/dashboard.html", context)


@require_GET
@staff_only
def export(request: HttpRequest, name: str) -> HttpResponse:
    """One of the dashboard's tables as CSV, for the same range."""
    form = RangeForm(request.GET or None)
    period = form.period()
    table = table_get(name, period)
    if table is None:
        raise Http404
    response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    filename = f"aurastream-{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
