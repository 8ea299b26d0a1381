"""The Webhooks pages (account settings): a workspace's endpoints, adding one, its secret,
rotating it, a test event, switching it on and off, deleting it, and its delivery log with
"Redeliver".

Only a workspace's admins and its owner manage its webhooks: a workspace the creator isn't a
member of is a 404, a role below admin a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aurastream.types import AuthenticatedHttpRequest
from workspaces.models import Membership, Role
from workspaces.selectors import membership_get

from . import selectors, services
from .forms import EndpointForm
from .models import EVENT_TYPES, Endpoint
from .services import WebhookError


def _admin_of(request: AuthenticatedHttpRequest, workspace_id: int) -> Membership:
    membership = membership_get(user=request.user, workspace_id=workspace_id)
    if membership is None:
        raise Http404("No such workspace.")
    if not membership.may(Role.ADMIN):
        raise PermissionDenied("Only the workspace's admins and owner manage its webhooks.")
    return membership


def _endpoint(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> Endpoint:
    _admin_of(request, workspace_id)
    endpoint = selectors.endpoint_get(workspace_id=workspace_id, endpoint_id=endpoint_id)
    if endpoint is None:
        raise Http404("No such endpoint.")
    return endpoint


@require_GET
@login_required
def webhooks_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The first workspace the creator manages (their personal one)."""
    managed = selectors.admin_memberships(user=request.user)
    if not managed:
        raise PermissionDenied("You don't manage any workspace's webhooks.")
    return redirect("webhooks:list", workspace_id=managed[0].workspace_id)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def endpoint_list(request: AuthenticatedHttpRequest, workspace_id: int) -> HttpResponse:
    membership = _admin_of(request, workspace_id)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(
            workspace=membership.workspace,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            event_types=form.cleaned_data["event_types"],
            created_by=request.user,
        )
        messages.success(request, "Endpoint added. Copy its signing secret to verify what we send.")
        return redirect("webhooks:detail", workspace_id=workspace_id, endpoint_id=endpoint.pk)
    context = {
        "membership": membership,
        "workspace": membership.workspace,
        "managed": selectors.admin_memberships(user=request.user),
        "endpoints": selectors.endpoint_list(workspace_id=workspace_id),
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/list.html", context, status=status)


@require_GET
@login_required
def endpoint_detail(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> HttpResponse:
    return _detail(request, _endpoint(request, workspace_id, endpoint_id))


def _detail(request: AuthenticatedHttpRequest, endpoint: Endpoint, *, secret: str = "") -> HttpResponse:
    context = {
        "endpoint": endpoint,
        "workspace": endpoint.workspace,
        "deliveries": selectors.delivery_list(endpoint=endpoint),
        "event_labels": [(t, EVENT_TYPES[t]) for t in endpoint.event_types if t in EVENT_TYPES],
        "secret": secret,
        "previous_until": selectors.previous_secret_until(endpoint=endpoint),
    }
    return render(request, "webhooks/detail.html", context)


@require_GET
@never_cache
@login_required
def endpoint_secret(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> HttpResponse:
    """The page again, with the current signing secret shown (only on request)."""
    endpoint = _endpoint(request, workspace_id, endpoint_id)
    return _detail(request, endpoint, secret=services.secret_current(endpoint))


@require_POST
@never_cache
@login_required
def endpoint_rotate(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, workspace_id, endpoint_id)
    fresh = services.secret_rotate(endpoint=endpoint)
    messages.success(
        request, "New secret made. The previous one keeps signing beside it for 24 hours, while you switch."
    )
    return _detail(request, endpoint, secret=fresh)


@require_POST
@login_required
def endpoint_test(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, workspace_id, endpoint_id)
    if not endpoint.enabled:
        messages.error(request, "Switch the endpoint on to send it a test event.")
    else:
        services.endpoint_test(endpoint=endpoint)
        messages.success(request, "Test event sent; its delivery is at the top of the log.")
    return redirect("webhooks:detail", workspace_id=workspace_id, endpoint_id=endpoint_id)


@require_POST
@login_required
def endpoint_toggle(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, workspace_id, endpoint_id)
    services.endpoint_update(endpoint=endpoint, enabled=not endpoint.enabled)
    messages.success(request, "Endpoint switched on." if endpoint.enabled else "Endpoint switched off.")
    return redirect("webhooks:detail", workspace_id=workspace_id, endpoint_id=endpoint_id)


@require_POST
@login_required
def endpoint_delete(request: AuthenticatedHttpRequest, workspace_id: int, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, workspace_id, endpoint_id)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, f"Endpoint {endpoint.url} deleted.")
    return redirect("webhooks:list", workspace_id=workspace_id)


@require_POST
@login_required
def delivery_redeliver(
    request: AuthenticatedHttpRequest, workspace_id: int, delivery_id: int
) -> HttpResponse:
    _admin_of(request, workspace_id)
    delivery = selectors.delivery_get(workspace_id=workspace_id, delivery_id=delivery_id)
    if delivery is None:
        raise Http404("No such delivery.")
    try:
        services.delivery_redeliver(delivery=delivery)
    except WebhookError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{delivery.event.type} sent again.")
    return redirect("webhooks:detail", workspace_id=workspace_id, endpoint_id=delivery.endpoint_id)
