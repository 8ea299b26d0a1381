"""The Connections settings page and what it leads to: connecting (the OAuth round trip),
reading a channel again, disconnecting, its identity into a brand kit or a template, and
publishing an asset to YouTube."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aurastream.middleware import keep_writes
from aurastream.types import AuthenticatedHttpRequest
from library.models import Asset

from . import publishing, selectors, services
from .models import Provider
from .providers import PROVIDERS, TWITCH, ProviderError, TokenRejected
from .schedule import schedule_line, week_of

# The schedule banner's "Days and time" field holds this many characters.
SCHEDULE_CHARS = 40


def _callback_uri(request: AuthenticatedHttpRequest, provider: str) -> str:
    return request.build_absolute_uri(reverse("connections:callback", args=[provider]))


def _failed(
    request: AuthenticatedHttpRequest, error: ProviderError, to: str = "connections:list", **kwargs: Any
) -> HttpResponse:
    """Say what went wrong: back on the page the creator came from, or, when the platform is
    down or limiting us, a 503 page saying so (its writes kept: a refreshed token must not be
    lost with the answer)."""
    back = redirect(to, **kwargs)
    if error.status != 503:
        messages.error(request, error.message)
        return back
    page = render(
        request, "connections/unavailable.html", {"message": error.message, "back": back.url}, status=503
    )
    if error.retry_after:
        page["Retry-After"] = str(error.retry_after)
    return keep_writes(page)


@require_GET
@login_required
def connection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    connections = selectors.connection_list(user=request.user)
    allowance = services.allowance_for(request.user)
    context = {
        "connections": connections,
        "allowance": allowance,
        "providers": [
            (provider, [c for c in connections if c.provider == provider.name])
            for provider in PROVIDERS.values()
        ],
    }
    return render(request, "connections/list.html", context)


@require_POST
@login_required
def connect(request: AuthenticatedHttpRequest, provider: str) -> HttpResponse:
    if provider not in PROVIDERS:
        raise Http404("No such platform.")
    reconnect = None
    if request.POST.get("connection"):
        reconnect = selectors.connection_get(user=request.user, connection_id=request.POST["connection"])
    try:
        started = services.connect_start(
            user=request.user,
            provider=provider,
            redirect_uri=_callback_uri(request, provider),
            reconnect=reconnect,
        )
    except services.ConnectionLimitReached as limit:
        messages.error(request, limit.message)
        return redirect("connections:list")
    except ProviderError as error:
        return _failed(request, error)
    return redirect(started.authorize_url)


@require_GET
@login_required
def callback(request: AuthenticatedHttpRequest, provider: str) -> HttpResponse:
    if provider not in PROVIDERS:
        raise Http404("No such platform.")
    label = PROVIDERS[provider].label
    if request.GET.get("error"):
        messages.info(request, f"Nothing was connected: {label} says the request was cancelled.")
        return redirect("connections:list")
    try:
        connection = services.connect_finish(
            user=request.user,
            provider=provider,
            code=request.GET.get("code", ""),
            state=request.GET.get("state", ""),
            redirect_uri=_callback_uri(request, provider),
        )
    except (services.ConnectFailed, services.ConnectionLimitReached) as failed:
        messages.error(request, failed.message)
        return redirect("connections:list")
    except ProviderError as error:
        return _failed(request, error)
    messages.success(request, f"{label} channel “{connection.display_name}” is connected.")
    return redirect("connections:list")


@require_POST
@login_required
def read_again(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = selectors.connection_get(user=request.user, connection_id=connection_id)
    try:
        services.connection_read(connection=connection)
    except ProviderError as error:
        return _failed(request, error)
    messages.success(request, f"Read “{connection.display_name}” from {connection.provider_label} again.")
    return redirect("connections:list")


@require_POST
@login_required
def disconnect(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = selectors.connection_get(user=request.user, connection_id=connection_id)
    name, label = connection.display_name, connection.provider_label
    services.connection_disconnect(connection=connection)
    messages.success(
        request, f"{label} channel “{name}” is disconnected, and AuraStream's access to it is revoked."
    )
    return redirect("connections:list")


@require_GET
@login_required
def picture(request: AuthenticatedHttpRequest, connection_id: int, kind: str) -> FileResponse:
    connection = selectors.connection_get(user=request.user, connection_id=connection_id)
    field = {"avatar": connection.avatar, "banner": connection.banner}.get(kind)
    if not field:
        raise Http404("No picture.")
    response = FileResponse(field.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@login_required
def schedule_banner(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    """The schedule banner template, its days and times filled from the Twitch schedule in
    the creator's time zone."""
    connection = selectors.connection_get(user=request.user, connection_id=connection_id)
    if connection.provider != Provider.TWITCH:
        raise Http404("Only Twitch channels have a stream schedule.")
    try:
        segments = services.with_token(
            connection, lambda token: TWITCH.schedule(token, broadcaster_id=connection.account_id)
        )
    except ProviderError as error:
        return _failed(request, error)
    zone = ZoneInfo(request.user.timezone or "UTC")
    line = schedule_line(week_of(segments, zone=zone, now=timezone.now()), limit=SCHEDULE_CHARS)
    if not line:
        messages.info(
            request,
            "Your Twitch schedule has no streams in the coming week, "
            "so the days are left for you to fill in.",
        )
        return redirect("generation:quick_create", key="schedule-banner")
    messages.info(request, f"Filled from your Twitch schedule, in your time zone ({zone.key}): {line}.")
    query = urlencode({"f_days": line, "f_title": "Stream schedule"})
    return redirect(f"{reverse('generation:quick_create', kwargs={'key': 'schedule-banner'})}?{query}")


@require_GET
@login_required
def going_live(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    """The going-live card, its game filled from the channel's current category."""
    connection = selectors.connection_get(user=request.user, connection_id=connection_id)
    target = reverse("generation:quick_create", kwargs={"key": "going-live"})
    if connection.category:
        return redirect(f"{target}?{urlencode({'f_game': connection.category})}")
    return redirect(target)


@require_GET
@login_required
def asset_panel(request: AuthenticatedHttpRequest, asset_id: str) -> HttpResponse:
    """The asset page's "Publish" panel (over htmx): publish through an API, or where to
    upload it by hand."""
    asset = get_object_or_404(Asset.objects.filter(owner=request.user, deleted_at__isnull=True), pk=asset_id)
    connections = selectors.connection_list(user=request.user)
    context = {
        "asset": asset,
        "kind": publishing.publish_kind(asset),
        "youtube": [c for c in connections if c.provider == Provider.YOUTUBE],
        "hand": publishing.hand_upload(asset, connections),
    }
    return render(request, "connections/partials/_asset_panel.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def publish(request: AuthenticatedHttpRequest, asset_id: str) -> HttpResponse:
    """Publish an asset to YouTube: pick the channel (and for a thumbnail, the video)."""
    asset = get_object_or_404(Asset.objects.filter(owner=request.user, deleted_at__isnull=True), pk=asset_id)
    kind = publishing.publish_kind(asset)
    if not kind:
        raise Http404("This asset can't be published through an API.")
    channels = list(publishing.youtube_connections(request.user))
    asked = request.POST.get("connection", request.GET.get("connection", ""))
    if asked:  # a channel that isn't one of theirs is a 404, never another of their channels
        chosen = next((c for c in channels if str(c.pk) == asked), None)
        if chosen is None:
            raise Http404("No such channel.")
    else:
        chosen = channels[0] if channels else None
    if request.method == "POST" and chosen is not None:
        try:
            publishing.asset_publish(asset=asset, connection=chosen, video_id=request.POST.get("video", ""))
        except ProviderError as error:
            if isinstance(error, TokenRejected) or error.status != 400:
                return _failed(request, error, "connections:publish", asset_id=asset.pk)
            messages.error(request, error.message)
        else:
            what = "thumbnail" if kind == "thumbnail" else "channel banner"
            messages.success(request, f"Published to YouTube as the {what}.")
            return redirect("library:asset", asset_id=asset.pk)
    videos, problem = [], ""
    if chosen is not None and kind == "thumbnail":
        try:
            videos = publishing.recent_videos(chosen)
        except ProviderError as error:
            problem = error.message
    context = {
        "asset": asset,
        "kind": kind,
        "channels": channels,
        "chosen": chosen,
        "videos": videos,
        "problem": problem,
    }
    return render(
        request, "connections/publish.html", context, status=400 if request.method == "POST" else 200
    )
