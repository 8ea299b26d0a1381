"""The API keys pages: the creator's keys, making one (shown once), revoking; a team's admins
also see and revoke the keys made for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aurastream.types import AuthenticatedHttpRequest
from billing import entitlements

from . import selectors, services
from .forms import ApiKeyForm


@require_GET
@login_required
def key_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = [
        (workspace, list(selectors.workspace_api_keys(workspace=workspace)))
        for workspace in selectors.workspaces_administered(user=request.user)
    ]
    context = {
        "keys": selectors.api_key_list(user=request.user),
        "teams": teams,
        "allowance": entitlements.developer_api(request.user),
    }
    return render(request, "developers/list.html", context)


@never_cache  # the answer to a POST holds the key in clear
@require_http_methods(["GET", "POST"])
@login_required
def key_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowance = entitlements.developer_api(request.user)
    memberships = selectors.memberships_for_keys(user=request.user)
    form = ApiKeyForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and allowance.may_use_keys and form.is_valid():
        api_key, key = services.api_key_create(
            user=request.user,
            membership=form.membership(),
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_in_days=form.expires_in_days(),
        )
        # Rendered, not redirected: the key exists only in this answer.
        return render(request, "developers/created.html", {"api_key": api_key, "key": key}, status=201)
    status = 400 if request.method == "POST" else 200
    return render(request, "developers/new.html", {"form": form, "allowance": allowance}, status=status)


@require_POST
@login_required
def key_revoke(request: AuthenticatedHttpRequest, key_id: int) -> HttpResponse:
    api_key = selectors.api_key_get(user=request.user, key_id=key_id)
    if api_key is None:
        raise Http404("No such API key.")
    services.api_key_revoke(api_key=api_key)
    messages.success(request, f"“{api_key.name}” is revoked: it no longer works.")
    return redirect("developers:list")
