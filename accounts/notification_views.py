"""The notification centre (the bell and its page) and the creator's email preferences,
including the signed one-click unsubscribe link every non-transactional email carries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aurastream.types import AuthenticatedHttpRequest

from . import emails, selectors, services
from .models import EmailKind, Notification


def _centre(request: AuthenticatedHttpRequest) -> dict[str, object]:
    return {
        "notifications": selectors.notification_list(user=request.user),
        "unread": selectors.notification_unread_count(user=request.user),
    }


@require_GET
@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page, or (htmx, from the bell) the panel alone."""
    if request.htmx:
        return render(request, "accounts/notifications.html#panel", _centre(request))
    return render(request, "accounts/notifications.html", _centre(request))


@require_POST
@login_required
def notification_open(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read and go where it points (its job, the billing page…)."""
    try:
        notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_read(user=request.user, notification=notification)
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        link = reverse("notifications")
    return redirect(link)


@require_POST
@login_required
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    if request.htmx:
        return render(request, "accounts/notifications.html#panel", _centre(request))
    return redirect("notifications")


@require_http_methods(["GET", "POST"])
@login_required
def email_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        wanted = {kind for kind in request.POST.getlist("kinds") if kind in EmailKind.values}
        services.email_preferences_update(user=request.user, wanted=wanted)
        messages.success(request, "Email preferences saved.")
        return redirect("email_preferences")
    wanted = selectors.email_kinds_wanted(user=request.user)
    return render(
        request,
        "accounts/email_preferences.html",
        {"kinds": [(kind, kind.label, kind.value in wanted) for kind in EmailKind]},
    )


# The link in an email: no session needed (the signed token names the account and the kind),
# and a mail client's RFC 8058 one-click POST carries no CSRF token, so this one view is exempt.
# It can do one thing only, switch that kind of email off, and only for the account it names.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners follow GETs); POST (the page's button or the mail
    client's one-click ``List-Unsubscribe=One-Click``) unsubscribes."""
    found = emails.unsubscribe_token_read(token)
    if found is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
    user_id, kind = found
    context = {"kind": kind, "token": token}
    if request.method == "POST":
        if not services.email_unsubscribe(user_id=user_id, kind=kind):
            return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "accounts/unsubscribe.html", {**context, "done": True})
    return render(request, "accounts/unsubscribe.html", context)
