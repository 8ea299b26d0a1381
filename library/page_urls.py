"""The library's pages and the public pages of shared assets."""

from django.urls import path

from . import shared_views, views

urlpatterns = [
    path("library/", views.asset_list, name="list"),
    path("library/delete/", views.assets_delete, name="delete"),
    path("library/restore/", views.assets_restore, name="restore"),
    path("library/move/", views.bulk_move, name="bulk_move"),
    path("library/tag/", views.bulk_tag, name="bulk_tag"),
    path("library/collections/", views.collection_create, name="collection_create"),
    path(
        "library/collections/<int:collection_id>/rename/",
        views.collection_rename,
        name="collection_rename",
    ),
    path(
        "library/collections/<int:collection_id>/delete/",
        views.collection_delete,
        name="collection_delete",
    ),
    path(
        "library/collections/<int:collection_id>/restore/",
        views.collection_restore,
        name="collection_restore",
    ),
    path("library/assets/<uuid:asset_id>/", views.asset_detail, name="asset"),
    path("library/assets/<uuid:asset_id>/compare/", views.asset_compare, name="asset_compare"),
    path("library/assets/<uuid:asset_id>/make-current/", views.asset_make_current, name="asset_make_current"),
    path("library/assets/<uuid:asset_id>/share/", views.asset_share, name="asset_share"),
    path("library/assets/<uuid:asset_id>/share/rotate/", views.asset_share_rotate, name="asset_share_rotate"),
    path("library/assets/<uuid:asset_id>/share/revoke/", views.asset_unshare, name="asset_unshare"),
    path(
        "library/assets/<uuid:asset_id>/share/restore/", views.asset_share_restore, name="asset_share_restore"
    ),
    path("s/<str:token>/", shared_views.shared, name="shared"),
]
