"""Every write to the library: organising, sharing, deleting with undo, purging and retention,
versions, and storing what generation jobs make.

Files leave storage when their rows are deleted (``signals``), after the transaction commits,
so a rolled-back purge never loses a file that is still listed.
"""

from .deleting import assets_delete, assets_purge, assets_restore
from .organising import (
    COLLECTION_CHARS,
    MAX_TAGS,
    TAG_CHARS,
    TITLE_CHARS,
    Keep,
    asset_update,
    assets_move,
    assets_tag,
    collection_create,
    collection_delete,
    collection_rename,
    collection_restore,
    collections_purge,
)
from .publishing import asset_publication_record
from .retention import assets_expire, expiry_notices_send
from .sharing import (
    asset_record_view,
    asset_share,
    asset_share_restore,
    asset_share_rotate,
    asset_takedown,
    asset_unshare,
    new_share_token,
    revoked_links_forget,
)
from .storing import RenditionFile, asset_discard, asset_store, rendition_file_name
from .versions import asset_version_add, asset_version_revert

__all__ = [
    "COLLECTION_CHARS",
    "MAX_TAGS",
    "TAG_CHARS",
    "TITLE_CHARS",
    "Keep",
    "RenditionFile",
    "asset_discard",
    "asset_publication_record",
    "asset_record_view",
    "asset_share",
    "asset_share_restore",
    "asset_share_rotate",
    "asset_store",
    "asset_takedown",
    "asset_unshare",
    "asset_update",
    "asset_version_add",
    "asset_version_revert",
    "assets_delete",
    "assets_expire",
    "assets_move",
    "assets_purge",
    "assets_restore",
    "assets_tag",
    "collection_create",
    "collection_delete",
    "collection_rename",
    "collection_restore",
    "collections_purge",
    "expiry_notices_send",
    "new_share_token",
    "rendition_file_name",
    "revoked_links_forget",
]
