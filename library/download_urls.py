"""File downloads: single renditions, zips, and the files of shared assets."""

from django.urls import path

from . import downloads

urlpatterns = [
    path(
        "library/assets/<uuid:asset_id>/files/<str:label>/",
        downloads.rendition_download,
        name="rendition_download",
    ),
    path(
        "library/assets/<uuid:asset_id>/files/<str:label>/still/",
        downloads.rendition_still,
        name="rendition_still",
    ),
    path(
        "library/assets/<uuid:asset_id>/files/<str:label>/thumbnail-v<int:version>.webp",
        downloads.rendition_thumbnail,
        name="rendition_thumbnail",
    ),
    path(
        "library/assets/<uuid:asset_id>/files/<str:label>/thumbnail-v<int:version>-still.webp",
        downloads.rendition_thumbnail_still,
        name="rendition_thumbnail_still",
    ),
    path("library/assets/<uuid:asset_id>/zip/", downloads.asset_zip, name="asset_zip"),
    path("library/packs/<uuid:job_id>/zip/", downloads.pack_zip, name="pack_zip"),
    path("library/zip/", downloads.bulk_zip, name="bulk_zip"),
    path("s/<str:token>/files/<str:label>/", downloads.shared_file, name="shared_file"),
    path("s/<str:token>/files/<str:label>/still/", downloads.shared_still, name="shared_still"),
]
