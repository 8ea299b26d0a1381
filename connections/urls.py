from django.urls import path

from . import brand_views, views

app_name = "connections"

urlpatterns = [
    path("profile/connections/", views.connection_list, name="list"),
    path("profile/connections/<slug:provider>/connect/", views.connect, name="connect"),
    path("profile/connections/<slug:provider>/callback/", views.callback, name="callback"),
    path("profile/connections/<int:connection_id>/read/", views.read_again, name="read"),
    path("profile/connections/<int:connection_id>/disconnect/", views.disconnect, name="disconnect"),
    path("profile/connections/<int:connection_id>/<slug:kind>.png", views.picture, name="picture"),
    path("profile/connections/<int:connection_id>/brand/", brand_views.brand_import, name="brand_import"),
    path(
        "profile/connections/<int:connection_id>/schedule-banner/",
        views.schedule_banner,
        name="schedule_banner",
    ),
    path("profile/connections/<int:connection_id>/going-live/", views.going_live, name="going_live"),
    path("library/assets/<uuid:asset_id>/publish/", views.publish, name="publish"),
    path("library/assets/<uuid:asset_id>/publish/panel/", views.asset_panel, name="asset_panel"),
]
