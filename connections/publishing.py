"""Putting an asset on a platform through its API (YouTube: a video's custom thumbnail, the
channel banner), recorded on the asset by the library, and where an asset goes by hand."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

import platforms
from accounts.models import User
from library.models import Asset, Publication, Rendition
from library.services import asset_publication_record
from workspaces.access import require_acting

from .models import Connection, Provider
from .providers import YOUTUBE, Rejected, Video
from .services import with_token

UPLOADABLE = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class HandUpload:
    """Where a creator uploads an asset themselves (the platform has no API for it)."""

    platform_label: str
    label: str
    url: str
    filled: bool  # the link names their own channel


def publish_kind(asset: Asset) -> str:
    """ "thumbnail", "channel_banner" or "" (nothing AuraStream can set for this type)."""
    try:
        spec = platforms.spec_get(asset.spec_key)
    except KeyError:
        return ""
    return spec.publish.split(".", 1)[1] if spec.publish else ""


def hand_upload(asset: Asset, connections: QuerySet[Connection]) -> HandUpload | None:
    try:
        spec = platforms.spec_get(asset.spec_key)
    except KeyError:
        return None
    if not spec.upload_page:
        return None
    page = spec.upload_page
    if "{login}" in page:
        login = next((c.handle for c in connections if c.provider == spec.platform and c.handle), "")
        if not login:
            return HandUpload(spec.platform_label, spec.label, page.split("/u/{login}")[0] + "/", False)
        return HandUpload(spec.platform_label, spec.label, page.replace("{login}", login), True)
    return HandUpload(spec.platform_label, spec.label, page, True)


def youtube_connections(user: User) -> QuerySet[Connection]:
    return Connection.objects.filter(owner=user, provider=Provider.YOUTUBE)


def recent_videos(connection: Connection) -> list[Video]:
    return with_token(connection, lambda token: YOUTUBE.uploads(token))


def _upload_file(asset: Asset) -> Rendition:
    rendition = next((r for r in asset.renditions.all() if r.format in UPLOADABLE), None)
    if rendition is None:
        raise Rejected("This asset has no PNG or JPEG file YouTube takes.")
    return rendition


def asset_publish(*, asset: Asset, connection: Connection, video_id: str = "") -> Publication:
    """Set the asset as the chosen video's thumbnail, or as the channel's banner, and record
    it on the asset. A video must be one of the channel's recent uploads. Publishing a
    workspace's asset is an editor's work there (403 before anything is sent)."""
    require_acting(asset.workspace_id)
    kind = publish_kind(asset)
    if not kind or connection.provider != Provider.YOUTUBE:
        raise Rejected("Only YouTube thumbnails and channel banners can be published from AuraStream.")
    rendition = _upload_file(asset)
    with rendition.file.open("rb") as handle:
        data = handle.read()
    content_type = UPLOADABLE[rendition.format]
    if kind == "thumbnail":
        video = next((v for v in recent_videos(connection) if v.id == video_id), None)
        if video is None:
            raise Rejected("Choose one of the channel's recent videos.")
        result = with_token(
            connection,
            lambda token: YOUTUBE.set_thumbnail(
                token, video_id=video.id, data=data, content_type=content_type
            ),
        )
        return asset_publication_record(
            asset=asset,
            rendition=rendition,
            platform="youtube",
            platform_label="YouTube",
            kind=Publication.Kind.THUMBNAIL,
            channel=connection.display_name,
            target_id=video.id,
            target_title=video.title,
            target_url=f"https://www.youtube.com/watch?v={video.id}",
            result_url=result,
        )
    result = with_token(
        connection, lambda token: YOUTUBE.set_banner(token, data=data, content_type=content_type)
    )
    return asset_publication_record(
        asset=asset,
        rendition=rendition,
        platform="youtube",
        platform_label="YouTube",
        kind=Publication.Kind.CHANNEL_BANNER,
        channel=connection.display_name,
        target_url=YOUTUBE.channel_url(connection.handle),
        result_url=result,
    )
