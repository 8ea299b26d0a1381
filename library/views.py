"""The library pages: the grid, organising, deleting with undo and one asset's page (the public
page of a shared asset is ``shared_views``).

Thin views: reads go through ``selectors`` (always scoped to the signed-in creator, so another
creator's asset is a 404), writes through ``services``. Every action is a plain form POST that
redirects back, so the pages work without JavaScript; htmx only makes "load more" and deleting
from the grid happen in place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from aurastream.fragments import fragment_version
from aurastream.types import AuthenticatedHttpRequest
from aurastream.undo import restore_view, undo_offer, undo_toast
from billing.entitlements import plan_for
from platforms import platform_label
from workspaces.current import billing_account_id
from workspaces.selectors import membership_get

from . import selectors, services
from .cards import tile_rows, tiles_for
from .forms import (
    AssetEditForm,
    BulkForm,
    BulkMoveForm,
    BulkTagForm,
    CollectionForm,
    LibraryFilterForm,
    asset_type_label,
)
from .models import Asset, Collection

PAGE_SIZE = 48
# What draws the library's filter form (its cached HTML's key).
FILTER_TEMPLATES = ("library/list.html", "partials/_field.html")
# Where deleted assets wait for their undo toast when the delete was a full page load.
UNDO_SESSION_KEY = "library_undo"


# --- Helpers -------------------------------------------------------------------------------


def _next_url(request: HttpRequest, candidate: str | None, default: str) -> str:
    """Back to where the creator was, if that is a page of this site."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _first_error(error: ValidationError) -> str:
    return error.messages[0] if error.messages else "That did not work."


def _form_error(form: Any) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "That did not work."


def _keeps_assets_for(user: Any) -> int | None:
    """Days an asset in the current workspace is kept by the plan that pays for it, its
    owner's (None: for as long as they like)."""
    return plan_for(billing_account_id(user.pk)).asset_retention_days


# --- The library ---------------------------------------------------------------------------


@require_GET
@login_required
def asset_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The grid, filtered by the querystring; htmx asks for the next page's tiles only."""
    user = request.user
    form, facets, collections = _filter_form(user, request.GET)
    filters = form.filters()
    assets = selectors.asset_list(user=user, filters=filters)
    page = Paginator(tile_rows(assets), PAGE_SIZE).get_page(request.GET.get("page"))
    retention_days = _keeps_assets_for(user)
    context: dict[str, Any] = {
        "page": page,
        "tiles": tiles_for(page.object_list, assets=assets, retention_days=retention_days),
        "retention_days": retention_days,
    }
    if request.htmx:
        return render(request, "library/list.html#grid_page", context)
    current_collection = next((c for c in collections if c.pk == filters.collection_id), None)
    undo = request.session.pop(UNDO_SESSION_KEY, None)
    context.update(
        {
            "form": form,
            # The filter form's HTML is cached under everything it shows.
            "filters_version": fragment_version(FILTER_TEMPLATES, form.shown()),
            "filtered": form.is_filtered,
            "has_assets": bool(facets),
            "collections": collections,
            "current_collection": current_collection,
            "collection_form": CollectionForm(),
            "storage_used": selectors.storage_used(user=user),
            "undo": _undo_context(undo) if undo else None,
        }
    )
    return render(request, "library/list.html", context)


def _filter_form(user: User, query: QueryDict) -> tuple[LibraryFilterForm, list[Any], list[Collection]]:
    """The library's filters from a querystring, offering only what the creator's assets have;
    with those facets and the creator's collections."""
    facets = selectors.asset_facets(user=user)
    collections = list(selectors.collection_list(user=user))
    tags = list(selectors.tag_list(user=user).values_list("name", flat=True))
    form = LibraryFilterForm.for_library(query, facets=facets, collections=collections, tags=tags)
    form.is_valid()  # invalid fields are left out of the filter and explained by the form
    return form, facets, collections


def _count_context(user: User, back: str) -> dict[str, Any]:
    """The count above the grid, for the filters of the page at ``back`` (after a delete)."""
    form, _, _ = _filter_form(user, QueryDict(urlsplit(back).query))
    count = selectors.asset_list(user=user, filters=form.filters()).count()
    return {"count": count, "filtered": form.is_filtered}


def _undo_context(undo: dict[str, Any]) -> dict[str, Any] | None:
    """The undo toast's content, while the window is still open."""
    deleted_at = dt.datetime.fromisoformat(undo["at"])
    seconds_left = int(
        (deleted_at + dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS) - timezone.now()).total_seconds()
    )
    if seconds_left <= 0:
        return None
    return {"ids": undo["ids"], "count": len(undo["ids"]), "seconds_left": seconds_left}


# --- Organising ----------------------------------------------------------------------------


@require_POST
@login_required
def collection_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect(_next_url(request, request.POST.get("next"), reverse("library:list")))
    try:
        collection = services.collection_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(_next_url(request, request.POST.get("next"), reverse("library:list")))
    messages.success(request, f"Collection “{collection.name}” created.")
    return redirect(f"{reverse('library:list')}?collection={collection.pk}")


@require_POST
@login_required
def collection_rename(request: AuthenticatedHttpRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_get(user=request.user, collection_id=collection_id)
    form = CollectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_form_error(form))
        services.collection_rename(collection=collection, name=form.cleaned_data["name"])
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, f"Renamed to “{collection.name}”.")
    return redirect(f"{reverse('library:list')}?collection={collection.pk}")


@require_POST
@login_required
def collection_delete(request: AuthenticatedHttpRequest, collection_id: int) -> HttpResponse:
    collection = selectors.collection_get(user=request.user, collection_id=collection_id)
    services.collection_delete(collection=collection)
    undo_offer(
        request,
        text=f"Deleted the collection “{collection.name}”. Its assets are still in your library.",
        url=reverse("library:collection_restore", args=[collection.pk]),
        fields={},
    )
    return redirect("library:list")


def _collection_restore(*, user: User, collection_id: int) -> Collection | None:
    collection = selectors.collection_get_for_undo(user=user, collection_id=collection_id)
    return services.collection_restore(collection=collection)


# Undo a collection's delete while the undo window is open: it comes back with its assets.
collection_restore = restore_view(
    restore=_collection_restore,
    what="that collection",
    done=lambda collection: f"Restored the collection “{collection.name}”.",
    back="library:list",
    back_to_restored=lambda collection: f"{reverse('library:list')}?collection={collection.pk}",
    refused=(ValidationError,),
)


@require_POST
@login_required
def bulk_move(request: AuthenticatedHttpRequest) -> HttpResponse:
    collections = list(selectors.collection_list(user=request.user))
    form = BulkMoveForm(request.POST, collections=collections)
    back = _next_url(request, request.POST.get("next"), reverse("library:list"))
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect(back)
    collection_id = form.cleaned_data["collection"]
    try:
        moved = services.assets_move(
            user=request.user, asset_ids=form.cleaned_data["assets"], collection_id=collection_id
        )
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(back)
    target = next((c.name for c in collections if c.pk == collection_id), None)
    where = f"to “{target}”" if target else "out of their collection"
    messages.success(request, f"Moved {_plural(moved, 'asset')} {where}.")
    return redirect(back)


@require_POST
@login_required
def bulk_tag(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkTagForm(request.POST)
    back = _next_url(request, request.POST.get("next"), reverse("library:list"))
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect(back)
    try:
        tagged = services.assets_tag(
            user=request.user, asset_ids=form.cleaned_data["assets"], tags=form.tag_names()
        )
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return redirect(back)
    messages.success(request, f"Tagged {_plural(tagged, 'asset')}.")
    return redirect(back)


# --- Deleting with undo --------------------------------------------------------------------


@require_POST
@login_required
def assets_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Delete one or several assets. htmx: the tiles leave the grid and an undo toast appears;
    otherwise back to the library, where the same toast waits."""
    form = BulkForm(request.POST)
    back = _next_url(request, request.POST.get("next"), reverse("library:list"))
    if not form.is_valid():
        if request.htmx:
            return render(request, "library/partials/_toast_oob.html", {"text": _form_error(form)})
        messages.error(request, _form_error(form))
        return redirect(back)
    ids = [
        str(pk)
        for pk in selectors.assets_by_ids(user=request.user, asset_ids=form.cleaned_data["assets"])
        .prefetch_related(None)
        .values_list("pk", flat=True)
    ]
    services.assets_delete(user=request.user, asset_ids=ids)
    undo = {"ids": ids, "count": len(ids), "seconds_left": settings.LIBRARY_UNDO_SECONDS}
    if request.htmx:
        context = {"undo": undo, "next": back, **_count_context(request.user, back)}
        return render(request, "library/partials/_deleted.html", context)
    if ids:
        request.session[UNDO_SESSION_KEY] = {"ids": ids, "at": timezone.now().isoformat()}
    # A deleted asset's own page is gone: land on the library instead.
    deleted_page = any(f"/library/assets/{pk}/" in back for pk in ids)
    return redirect(reverse("library:list") if deleted_page else back)


@require_POST
@login_required
def assets_restore(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Undo a delete: the assets come back with their collection, tags, favourite and link."""
    form = BulkForm(request.POST)
    back = _next_url(request, request.POST.get("next"), reverse("library:list"))
    request.session.pop(UNDO_SESSION_KEY, None)
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect(back)
    restored = services.assets_restore(user=request.user, asset_ids=form.cleaned_data["assets"])
    if restored:
        messages.success(request, f"Restored {_plural(restored, 'asset')}.")
    else:
        messages.error(request, "Too late to undo: those assets have been removed for good.")
    return redirect(back)


# --- One asset -----------------------------------------------------------------------------


def _asset_context(request: AuthenticatedHttpRequest, asset: Asset) -> dict[str, Any]:
    recipe = asset.recipe or {}
    # The asset was found among the creator's workspaces, so they are a member of its own.
    membership = membership_get(user=request.user, workspace_id=asset.workspace_id)
    # Kept as long as the plan that pays for its workspace says (its owner's).
    payer = membership.workspace.owner_id if membership else request.user.pk
    retention_days = plan_for(payer).asset_retention_days
    return {
        "asset": asset,
        "workspace": membership.workspace if membership else None,
        "can_edit": membership is not None and membership.can_edit,
        "preview": selectors.asset_preview(asset=asset),
        "platform_name": platform_label(asset.platform),
        "type_name": asset_type_label(asset.asset_type),
        "recipe": recipe,
        "brand": selectors.asset_brand_details(asset=asset),
        "pack_size": (
            selectors.job_assets(user=request.user, job_id=asset.source_job_id).count()
            if asset.source_job_id
            else 0
        ),
        "share_url": _share_url(request, asset),
        "kept_until": asset.expires_at if retention_days is not None else None,
        "retention_days": retention_days,
        "versions": list(selectors.asset_versions(asset=asset)),
        "publications": list(asset.publications.all()),
        "publishable": selectors.asset_publishable(asset=asset),
    }


def _share_url(request: HttpRequest, asset: Asset) -> str:
    if not asset.is_public:
        return ""
    return request.build_absolute_uri(reverse("library:shared", args=[asset.share_token]))


@require_http_methods(["GET", "POST"])
@login_required
def asset_detail(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    """Everything about one asset, and the form that renames, files and tags it."""
    asset = selectors.asset_get(user=request.user, asset_id=asset_id)
    collections = selectors.collection_list(user=request.user, workspace_id=asset.workspace_id)
    initial = {
        "title": asset.title,
        "favourite": asset.favourite,
        "collection": asset.collection_id,
        "tags": ", ".join(tag.name for tag in asset.tags.all()),
    }
    form = AssetEditForm(request.POST or None, initial=initial, collections=collections)
    if request.method == "POST" and form.is_valid():
        collection = form.cleaned_data["collection"]
        try:
            services.asset_update(
                asset=asset,
                title=form.cleaned_data["title"],
                favourite=form.cleaned_data["favourite"],
                collection_id=collection.pk if collection else None,
                tags=form.tag_names(),
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, "Saved.")
            return redirect("library:asset", asset_id=asset.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "library/asset.html", {**_asset_context(request, asset), "form": form}, status=status
    )


def _share_response(request: AuthenticatedHttpRequest, asset: Asset, message: str) -> HttpResponse:
    """htmx: the share panel, redrawn, announcing what changed; otherwise back to the asset."""
    if request.htmx:
        context = {**_asset_context(request, asset), "share_message": message}
        return render(request, "library/asset.html#share_panel", context)
    messages.success(request, message)
    return redirect("library:asset", asset_id=asset.pk)


@require_POST
@login_required
def asset_share(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    asset = selectors.asset_get(user=request.user, asset_id=asset_id)
    try:
        services.asset_share(asset=asset)
    except ValidationError as error:
        if request.htmx:
            return _share_response(request, asset, _first_error(error))
        messages.error(request, _first_error(error))
        return redirect("library:asset", asset_id=asset.pk)
    return _share_response(request, asset, "Public link created. Anyone with it can see this asset.")


@require_POST
@login_required
def asset_share_rotate(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    asset = selectors.asset_get(user=request.user, asset_id=asset_id)
    if not asset.is_public:
        return _share_response(request, asset, "The asset is private: there is no link to replace.")
    services.asset_share_rotate(asset=asset)
    return _share_response(request, asset, "New link created. The old link no longer works.")


@require_POST
@login_required
def asset_unshare(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    asset = selectors.asset_get(user=request.user, asset_id=asset_id)
    if not asset.is_public:
        return _share_response(request, asset, "The asset is private: there is no link to revoke.")
    services.asset_unshare(asset=asset)
    text = "Link revoked. The asset is private again."
    url = reverse("library:asset_share_restore", args=[asset.pk])
    if request.htmx:
        # The panel, redrawn, and the undo toast in #toasts (which announces it).
        context = {**_asset_context(request, asset), "undo": undo_toast(text=text, url=url, fields={})}
        return render(request, "library/partials/_share_revoked.html", context)
    undo_offer(request, text=text, url=url, fields={})
    return redirect("library:asset", asset_id=asset.pk)


@require_POST
@login_required
def asset_share_restore(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    """Undo a revoke while the undo window is open: the same link works again."""
    asset = selectors.asset_get(user=request.user, asset_id=asset_id)
    if services.asset_share_restore(asset=asset) is not None:
        messages.success(request, "Link restored: the same link works again.")
    elif asset.is_public:
        messages.info(request, "Nothing to undo: this asset has a public link.")
    else:
        messages.error(request, "Too late to undo: that link was revoked for good. Create a new one instead.")
    return redirect("library:asset", asset_id=asset.pk)


# --- Versions ------------------------------------------------------------------------------


@require_GET
@login_required
def asset_compare(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    """A version next to the one it was refined from (or any other version: ``?with=<id>``)."""
    after = selectors.asset_get(user=request.user, asset_id=asset_id)
    other = request.GET.get("with")
    before = (
        selectors.asset_get(user=request.user, asset_id=other)
        if other
        else selectors.asset_previous_version(asset=after)
    )
    if before is None or before.root_id != after.root_id:
        messages.info(request, "This version has no earlier version to compare with.")
        return redirect("library:asset", asset_id=after.pk)
    here = after
    if before.version > after.version:
        # Compared from an earlier version's page: the earlier one is still "before".
        before, after = after, before
    context = {
        "before": before,
        "after": after,
        "here": here,
        "versions": list(selectors.asset_versions(asset=after)),
    }
    return render(request, "library/compare.html", context)


@require_POST
@login_required
def asset_make_current(request: AuthenticatedHttpRequest, asset_id: uuid.UUID) -> HttpResponse:
    """Revert: this version becomes the one the library shows; the others stay in its history."""
    asset = selectors.asset_get(user=request.user, asset_id=asset_id)
    services.asset_version_revert(asset=asset)
    messages.success(request, f"Version {asset.version} is the current version again.")
    return redirect("library:asset", asset_id=asset.pk)
