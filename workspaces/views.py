"""Switching the workspace a creator works in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aurastream.types import AuthenticatedHttpRequest

from . import selectors
from .current import SESSION_KEY


@require_POST
@login_required
def switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, workspace_id=request.POST.get("workspace", ""))
    if membership is None:
        raise Http404("No such workspace.")
    if membership.workspace.is_personal:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, f"You're working in {membership.workspace.name}.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return redirect(back or "dashboard")
