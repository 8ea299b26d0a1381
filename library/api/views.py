"""The creator's library over the API. Every lookup is scoped to the requesting creator: another
creator's asset or collection is a 404, exactly like one that does not exist.

Services raise Django's ValidationError; the API's exception handler answers it as a 400 with
the fields named (see ``aurastream.api.errors``).

Files: each asset lists its renditions' ``download_url`` and a ``zip_url`` with all of them;
several assets in one zip come from ``POST /library/zip/`` (see ``AssetList``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.types import request_user
from billing.entitlements import plan_for
from library import selectors, services
from library.models import Asset
from library.selectors import LibraryFilters
from workspaces.current import billing_account_id

from .serializers import (
    AssetFiltersSerializer,
    AssetSerializer,
    AssetUpdateSerializer,
    CollectionSerializer,
    LibraryUsageSerializer,
)


def _asset_response(request: Request, asset: Asset, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(AssetSerializer(asset, context={"request": request}).data, status=status_code)


class AssetPagination(PageNumberPagination):
    """``?page=2``; ``?page_size=`` up to 100 (50 when not given)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(parameters=[AssetFiltersSerializer])
class AssetList(generics.ListAPIView[Asset]):
    """The creator's library, newest first unless `sort` says otherwise, a page at a time
    (`page`, and `page_size` up to 100).

    Each asset lists its files' `download_url` and a `zip_url` with all of them. Several assets
    in one zip: `POST /library/zip/` with `{"assets": ["<asset id>", …]}` and the
    same bearer token; ids that are not the creator's are left out.
    """

    serializer_class = AssetSerializer
    pagination_class = AssetPagination

    def get_queryset(self) -> QuerySet[Asset]:
        params = AssetFiltersSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = LibraryFilters(
            platform=data.get("platform", ""),
            asset_type=data.get("asset_type", ""),
            brand_kit_id=data.get("brand_kit"),
            collection_id=data.get("collection"),
            tag=data.get("tag", ""),
            favourite=data.get("favourite", False),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            search=data.get("q", ""),
            sort=data["sort"],
        )
        return selectors.asset_list(user=request_user(self.request), filters=filters)


def _asset_change(asset: Asset, data: dict[str, Any]) -> Asset:
    """Apply a PATCH: every change or none (the first invalid field undoes the others)."""
    with transaction.atomic():
        asset = services.asset_update(
            asset=asset,
            title=data.get("title"),
            favourite=data.get("favourite"),
            collection_id=data.get("collection", services.Keep.UNCHANGED),
            tags=data.get("tags"),
        )
        if data.get("visibility") == Asset.Visibility.PUBLIC:
            try:
                asset = services.asset_share(asset=asset)
            except ValidationError as error:
                raise ValidationError({"visibility": error.messages}) from error
        elif data.get("visibility") == Asset.Visibility.PRIVATE:
            asset = services.asset_unshare(asset=asset)
    return asset


@extend_schema(responses=AssetSerializer, methods=["GET"])
@extend_schema(request=AssetUpdateSerializer, responses=AssetSerializer, methods=["PATCH"])
@extend_schema(responses={204: None}, methods=["DELETE"])
@api_view(["GET", "PATCH", "DELETE"])
def asset_detail(request: Request, asset_id: str) -> Response:
    """One asset with its files. PATCH renames, retags, files, favourites or shares it; DELETE
    moves it to the undo window (``POST …/restore/`` brings it back until the purge)."""
    user = request_user(request)
    asset = selectors.asset_get(user=user, asset_id=asset_id)
    if request.method == "DELETE":
        services.assets_delete(user=user, asset_ids=[asset.pk])
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.method == "PATCH":
        serializer = AssetUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        asset = _asset_change(asset, serializer.validated_data)
    return _asset_response(request, asset)


@extend_schema(request=None, responses=AssetSerializer)
@api_view(["POST"])
def asset_restore(request: Request, asset_id: str) -> Response:
    """Undo a delete that the purge has not reached yet."""
    user = request_user(request)
    asset = selectors.asset_get_deleted(user=user, asset_id=asset_id)
    services.assets_restore(user=user, asset_ids=[asset.pk])
    return _asset_response(request, selectors.asset_get(user=user, asset_id=asset.pk))


@extend_schema(responses=AssetSerializer(many=True))
@api_view(["GET"])
def asset_versions(request: Request, asset_id: str) -> Response:
    """Every version of the asset, first first; ``is_current`` marks the one the library shows."""
    asset = selectors.asset_get(user=request_user(request), asset_id=asset_id)
    versions = selectors.asset_versions(asset=asset).prefetch_related("tags")  # the API shows them
    return Response(AssetSerializer(versions, many=True, context={"request": request}).data)


@extend_schema(request=None, responses=AssetSerializer)
@api_view(["POST"])
def asset_make_current(request: Request, asset_id: str) -> Response:
    """Revert: make this version the one the library shows (the others stay in the history)."""
    asset = selectors.asset_get(user=request_user(request), asset_id=asset_id)
    return _asset_response(request, services.asset_version_revert(asset=asset))


@extend_schema(request=None, responses=AssetSerializer)
@api_view(["POST"])
def asset_share_rotate(request: Request, asset_id: str) -> Response:
    """A new public link for a public asset; the old link stops working at once."""
    asset = selectors.asset_get(user=request_user(request), asset_id=asset_id)
    return _asset_response(request, services.asset_share_rotate(asset=asset))


@extend_schema(responses=CollectionSerializer(many=True), methods=["GET"])
@extend_schema(request=CollectionSerializer, responses={201: CollectionSerializer}, methods=["POST"])
@api_view(["GET", "POST"])
def collection_list(request: Request) -> Response:
    """GET: every collection of the creator (not paginated) with its asset count. POST: a new one."""
    user = request_user(request)
    if request.method == "GET":
        return Response(CollectionSerializer(selectors.collection_list(user=user), many=True).data)
    serializer = CollectionSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    collection = services.collection_create(user=user, name=serializer.validated_data["name"])
    return Response(CollectionSerializer(collection).data, status=status.HTTP_201_CREATED)


@extend_schema(responses=CollectionSerializer, methods=["GET"])
@extend_schema(request=CollectionSerializer, responses=CollectionSerializer, methods=["PATCH"])
@extend_schema(responses={204: None}, methods=["DELETE"])
@api_view(["GET", "PATCH", "DELETE"])
def collection_detail(request: Request, collection_id: int) -> Response:
    """One collection. PATCH renames it; DELETE removes it and leaves its assets in the library,
    in no collection, for the undo window (``POST …/restore/`` brings it back with them)."""
    # With its asset count; another creator's collection is a 404.
    collection = get_object_or_404(selectors.collection_list(user=request_user(request)), pk=collection_id)
    if request.method == "DELETE":
        services.collection_delete(collection=collection)
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.method == "PATCH":
        serializer = CollectionSerializer(collection, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "name" in serializer.validated_data:
            collection = services.collection_rename(
                collection=collection, name=serializer.validated_data["name"]
            )
    return Response(CollectionSerializer(collection).data)


@extend_schema(request=None, responses=CollectionSerializer)
@api_view(["POST"])
def collection_restore(request: Request, collection_id: int) -> Response:
    """Undo a delete within the undo window: the collection comes back with the assets it held.
    404 once it is too late; 400 when another collection has taken its name meanwhile."""
    user = request_user(request)
    collection = selectors.collection_get_for_undo(user=user, collection_id=collection_id)
    if services.collection_restore(collection=collection) is None:
        raise Http404
    return Response(
        CollectionSerializer(get_object_or_404(selectors.collection_list(user=user), pk=collection.pk)).data
    )


@extend_schema(responses=LibraryUsageSerializer)
@api_view(["GET"])
def library_usage(request: Request) -> Response:
    """What the creator's library takes and how long their plan keeps new assets."""
    user = request_user(request)
    usage = {
        "storage_bytes": selectors.storage_used(user=user),
        "asset_count": selectors.asset_list(user=user).count(),
        "retention_days": plan_for(billing_account_id(user.pk)).asset_retention_days,
    }
    return Response(LibraryUsageSerializer(usage).data)
