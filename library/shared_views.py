"""The public page of a shared asset: anyone with the link sees it, signed in or not.

The files it shows are served by ``downloads.shared_file``; the owner manages the link on the
asset's page (``views``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aurastream import events
from platforms import platform_label

from . import selectors, services
from .forms import asset_type_label


@require_GET
@never_cache  # a revoked link must stop working at once, whatever sits in between
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """A shared asset for anyone with the link, with the tags that make it unfurl in chat apps.

    Private, revoked, deleted and taken-down assets are the site's 404.
    """
    asset = selectors.asset_shared(token=token)
    if request.user.pk != asset.owner_id:
        services.asset_record_view(asset=asset, robot=events.is_robot(request.headers.get("User-Agent", "")))
    image = next(iter(asset.pictures), None)  # the largest image (not the WebM beside it)
    context = {
        "asset": asset,
        "image": image,
        "token": token,
        "creator_name": selectors.asset_shared_creator_name(asset),
        "platform_name": platform_label(asset.platform),
        "type_name": asset_type_label(asset.asset_type),
        "page_url": request.build_absolute_uri(request.path),
        "image_url": (
            request.build_absolute_uri(reverse("library:shared_file", args=[token, image.label]))
            if image
            else ""
        ),
        # Square and small art (emotes, badges, avatars) looks best in the small card.
        "twitter_card": "summary"
        if asset.width == asset.height or asset.width < 300
        else "summary_large_image",
    }
    response = render(request, "library/shared.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
