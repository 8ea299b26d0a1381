"""The onboarding tour's buttons, milestones seen, and the shortcut settings on the profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aurastream.types import AuthenticatedHttpRequest

from . import ux_services
from .forms import AccountDeleteForm, ProfileForm, ShortcutsForm
from .templatetags.creator_shell import tour_context

TOUR_ACTIONS = ("next", "back", "skip", "finish", "resume")


def _back(request: HttpRequest) -> str:
    """Where a form came from (``next``), when it is this site; else the dashboard."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("dashboard")


@require_POST
@login_required
def tour(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Next, back, skip, finish or resume the tour. htmx gets the tour card (or nothing)."""
    action = request.POST.get("action", "")
    if action not in TOUR_ACTIONS:
        return HttpResponse("Unknown tour action.", status=400)
    user = ux_services.tour_move(user=request.user, action=action)
    if request.htmx:
        return render(request, "accounts/partials/_tour.html", {"tour": tour_context(user)})
    if action == "skip":
        messages.info(request, "Tour skipped. Resume it any time from the help menu (?).")
    return redirect(_back(request))


@require_POST
@login_required
def milestones_seen(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The creator has seen these milestones' celebration: it is not shown again."""
    ids = [int(value) for value in request.POST.getlist("milestone") if value.isdigit()]
    ux_services.milestones_celebrate(user=request.user, ids=ids)
    if request.htmx or request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(_back(request))


@require_POST
@login_required
def shortcuts_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ShortcutsForm(request.POST, user=request.user)
    if form.is_valid():
        ux_services.shortcuts_update(
            user=request.user, enabled=form.cleaned_data["enabled"], keys=form.keys()
        )
        messages.success(request, "Shortcut settings saved.")
        return redirect(reverse("profile") + "#shortcuts")
    context = {
        "form": ProfileForm.for_user(request.user),
        "delete_form": AccountDeleteForm(),
        "shortcuts_form": form,
        "milestones": request.user.milestones.all(),
    }
    return render(request, "accounts/profile.html", context, status=400)
