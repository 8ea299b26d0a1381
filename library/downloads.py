"""Library files leaving the app: single renditions, upload-ready zips, shared images.

Private files answer only their owner: browsers use their session, API clients their bearer
token, and another creator's (or a deleted) asset is a 404. Every response names its file
(Content-Disposition), says what it is (Content-Type) and forbids sniffing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from storages.backends.s3 import S3Storage

from aurastream.api.authentication import request_user_id
from aurastream.api.errors import json_error

from . import ranges, selectors, thumbnails, zips
from .models import VIDEO_FORMAT, Rendition
from .stills import still_png

# Owners' previews may sit in their browser cache; nothing private is ever stored elsewhere.
PRIVATE_FILE_CACHE = "private, max-age=3600"
PRIVATE_ZIP_CACHE = "private, no-store"
# Shared images (the public page's <img>, Open Graph crawlers): browsers keep them an hour,
# shared caches only five minutes, so a revoked link stops being served by a CDN soon after.
SHARED_FILE_CACHE = "public, max-age=3600, s-maxage=300"
# A thumbnail's URL names fixed bytes (library/thumbnails.py): the owner's browser keeps it.
THUMBNAIL_CACHE = "private, max-age=31536000, immutable"

OwnerView = Callable[..., HttpResponseBase]


def _owner_only(view: OwnerView) -> OwnerView:
    """Call ``view(request, user_id, …)`` for a signed-in creator or a valid bearer token."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        user_id = request_user_id(request)
        if user_id is None:
            if request.headers.get("Authorization"):
                return json_error(
                    request, 401, "not_authenticated", "Authentication credentials were not provided."
                )
            return redirect_to_login(request.get_full_path())
        return view(request, user_id, *args, **kwargs)

    return wrapped


def _safe(response: HttpResponseBase, cache_control: str) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


def _signed_url(storage: S3Storage, rendition: Rendition, *, disposition: str) -> str:
    """A short-lived signed link to a private object, always on the bucket's own endpoint.

    django-storages builds links on AWS_S3_CUSTOM_DOMAIN without signing them (it signs CDN
    links only with a CloudFront key pair): a private bucket refuses such a link, and a CDN that
    can read the bucket would serve it to anyone, for ever. So private downloads are signed by
    the storage's own S3 client (its endpoint, region and credentials) whatever the custom
    domain; the CDN only carries what ``storage.url()`` hands out for public files (avatars).
    """
    return str(
        storage.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": storage.bucket_name,
                "Key": zips.s3_key(storage, rendition.file.name or ""),
                "ResponseContentDisposition": disposition,
                "ResponseContentType": rendition.content_type,
                "ResponseCacheControl": PRIVATE_FILE_CACHE,
            },
            ExpiresIn=storage.querystring_expire,
        )
    )


def _file_response(rendition: Rendition, *, as_attachment: bool, request: HttpRequest) -> HttpResponseBase:
    """The file's bytes, read from storage in chunks (local media, or S3 for shared images).

    From local storage a ``Range`` is answered (206), so Safari plays an alert's WebM."""
    stream = zips.open_stream(rendition.file.storage, rendition.file.name or "")
    wanted: ranges.ByteRange | None = None
    if not isinstance(rendition.file.storage, S3Storage):
        try:
            wanted = ranges.requested(request.headers.get("Range", ""), rendition.bytes)
        except ranges.Unsatisfiable:
            stream.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{rendition.bytes}"
            return refused
    body = stream if wanted is None else ranges.Slice(stream, wanted.start, wanted.length)
    response = FileResponse(
        body,
        as_attachment=as_attachment,
        filename=zips.rendition_filename(rendition),
        content_type=rendition.content_type,
    )
    if not isinstance(rendition.file.storage, S3Storage):
        response["Accept-Ranges"] = "bytes"
    if wanted is not None:
        response.status_code = 206
        response["Content-Range"] = wanted.header(rendition.bytes)
        response["Content-Length"] = str(wanted.length)
    return response


def _zip_response(entries: list[zips.ZipEntry], filename: str) -> HttpResponseBase:
    response = StreamingHttpResponse(zips.stream_zip(entries), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return _safe(response, PRIVATE_ZIP_CACHE)


@require_GET
@_owner_only
def rendition_download(
    request: HttpRequest, user_id: int, asset_id: uuid.UUID, label: str
) -> HttpResponseBase:
    """One file, named for the platform; ``?inline=1`` shows it (previews) instead of saving it.

    On S3 the owner is sent to a signed link that expires after AWS_QUERYSTRING_EXPIRE seconds.
    """
    rendition = selectors.rendition_get(user_id=user_id, asset_id=asset_id, label=label)
    as_attachment = request.GET.get("inline") != "1"
    storage = rendition.file.storage
    if isinstance(storage, S3Storage):
        disposition = content_disposition_header(as_attachment, zips.rendition_filename(rendition))
        url = _signed_url(storage, rendition, disposition=disposition or "attachment")
        return _safe(HttpResponseRedirect(url), "private, no-store")
    return _safe(_file_response(rendition, as_attachment=as_attachment, request=request), PRIVATE_FILE_CACHE)


@require_GET
@_owner_only
def asset_zip(request: HttpRequest, user_id: int, asset_id: uuid.UUID) -> HttpResponseBase:
    """Every rendition of one asset, e.g. an emote's 112, 56 and 28 px files."""
    asset = selectors.asset_get(user=user_id, asset_id=asset_id)
    entries = zips.zip_entries(selectors.assets_by_ids(user=user_id, asset_ids=[asset.pk]))
    return _zip_response(entries, f"{zips.asset_stem(asset)}.zip")


@require_GET
@_owner_only
def pack_zip(request: HttpRequest, user_id: int, job_id: uuid.UUID) -> HttpResponseBase:
    """Every visible asset one generation job made (an emote pack, a badge set), all sizes."""
    assets = selectors.job_assets(user=user_id, job_id=job_id)
    entries = zips.zip_entries(assets)
    if not entries:
        raise Http404("No assets from this job are in your library.")
    return _zip_response(entries, zips.pack_zip_name(assets))


def _selected_ids(request: HttpRequest) -> list[uuid.UUID | str]:
    """The ``assets`` of a form post (the field repeated) or of a JSON body ``{"assets": […]}``."""
    raw: object
    if request.content_type == "application/json":
        try:
            raw = json.loads(request.body or b"null")
        except (ValueError, RecursionError):
            raw = None
        if not isinstance(raw, dict) or not isinstance(raw.get("assets"), list):
            raise ValidationError('Send JSON like {"assets": ["<asset id>", …]}.')
        raw = raw["assets"]
    else:
        raw = request.POST.getlist("assets")
    values = list(raw) if isinstance(raw, list) else []
    if not values:
        raise ValidationError("Pick at least one asset to download.")
    if len(values) > zips.MAX_ZIP_ASSETS:
        raise ValidationError(
            f"A zip can hold at most {zips.MAX_ZIP_ASSETS} assets; you picked {len(values)}."
        )
    ids: dict[uuid.UUID | str, None] = {}
    for value in values:
        try:
            ids[uuid.UUID(str(value))] = None
        except ValueError:
            raise ValidationError(f"“{str(value)[:40]}” is not an asset id.") from None
    return list(ids)


def _bad_request(request: HttpRequest, message: str) -> HttpResponseBase:
    if request.headers.get("Authorization") or request.content_type == "application/json":
        return json_error(request, 400, "invalid", message)
    return _safe(HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8"), "no-store")


def _csrf_refusal(request: HttpRequest) -> HttpResponseBase | None:
    """Django's CSRF check, for a view exempt from the middleware only for bearer clients."""
    check = CsrfViewMiddleware(lambda _request: HttpResponse())
    check.process_request(request)
    return check.process_view(request, None, (), {})  # type: ignore[arg-type]  # the check never calls the view


# A bearer token is not an ambient credential a cross-site form could send, so token clients
# skip CSRF; a browser's session post is checked exactly as the middleware would check it.
@csrf_exempt
@require_POST
@_owner_only
def bulk_zip(request: HttpRequest, user_id: int) -> HttpResponseBase:
    """A zip of the selected assets, streamed as it is written.

    Ids of other creators' or deleted assets are left out silently, as in every bulk action
    (the zip holds what the creator can see); a selection with none of theirs is a 404.
    """
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        refusal = _csrf_refusal(request)
        if refusal is not None:
            return refusal
    try:
        asset_ids = _selected_ids(request)
    except ValidationError as error:
        return _bad_request(request, error.messages[0])
    entries = zips.zip_entries(selectors.assets_by_ids(user=user_id, asset_ids=asset_ids))
    if not entries:
        raise Http404("None of these assets are in your library.")
    return _zip_response(entries, "aurastream-assets.zip")


def _still_response(rendition: Rendition, cache_control: str) -> HttpResponseBase:
    if rendition.format == VIDEO_FORMAT:
        raise Http404("A video has no still; its image file beside it does.")
    return _safe(HttpResponse(still_png(rendition), content_type="image/png"), cache_control)


@require_GET
@_owner_only
def rendition_still(request: HttpRequest, user_id: int, asset_id: uuid.UUID, label: str) -> HttpResponseBase:
    """The first frame of an animated file, as a PNG (reduced motion, paused previews)."""
    rendition = selectors.rendition_get(user_id=user_id, asset_id=asset_id, label=label)
    return _still_response(rendition, PRIVATE_FILE_CACHE)


@require_GET
def shared_still(request: HttpRequest, token: str, label: str) -> HttpResponseBase:
    """A shared animated file's first frame (the public page under reduced motion)."""
    rendition = selectors.shared_rendition_get(token=token, label=label)
    return _still_response(rendition, SHARED_FILE_CACHE)


@require_GET
def shared_file(request: HttpRequest, token: str, label: str) -> HttpResponseBase:
    """A publicly shared asset's file, shown inline (the public page, Open Graph previews).

    Streamed through the app on S3 too, so the link never expires while the share lasts;
    private, revoked, deleted or taken-down assets are a 404.
    """
    rendition = selectors.shared_rendition_get(token=token, label=label)
    return _safe(_file_response(rendition, as_attachment=False, request=request), SHARED_FILE_CACHE)


def _thumbnail_response(
    user_id: int, asset_id: uuid.UUID, label: str, version: int, *, still: bool
) -> HttpResponseBase:
    rendition = selectors.rendition_get(user_id=user_id, asset_id=asset_id, label=label)
    if version != thumbnails.VERSION or rendition.format == VIDEO_FORMAT:
        raise Http404("No such thumbnail.")
    try:
        kept = thumbnails.thumbnail_kept(rendition, still=still)
    except FileNotFoundError:
        raise Http404("The file is no longer in storage.") from None
    response: HttpResponseBase
    if kept is not None:
        response = HttpResponse(kept, content_type=thumbnails.CONTENT_TYPE)
    else:
        # Made while the body is sent, after the request's transaction has ended: the image
        # work never holds the database (on SQLite, its one write lock).
        made = (thumbnails.thumbnail_make(rendition, still=still) for _ in range(1))
        response = StreamingHttpResponse(made, content_type=thumbnails.CONTENT_TYPE)
    return _safe(response, THUMBNAIL_CACHE)


@require_GET
@_owner_only
def rendition_thumbnail(
    request: HttpRequest, user_id: int, asset_id: uuid.UUID, label: str, version: int
) -> HttpResponseBase:
    """A grid tile's small WebP of one file (moving when the file moves), kept a year."""
    return _thumbnail_response(user_id, asset_id, label, version, still=False)


@require_GET
@_owner_only
def rendition_thumbnail_still(
    request: HttpRequest, user_id: int, asset_id: uuid.UUID, label: str, version: int
) -> HttpResponseBase:
    """The tile's first frame (reduced motion, paused tiles), kept a year."""
    return _thumbnail_response(user_id, asset_id, label, version, still=True)
