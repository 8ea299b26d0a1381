"""File downloads: single renditions, zips, and the files of shared assets."""

from django.urls import path

from . import downloads

urlpatterns = [
    path(
        "library/assets/<uuid:asset_id>/files/<str:label>/",
        downloads.rendition_download,
        name="rendition_download",
    ),
]
