from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("profile/webhooks/", views.webhooks_home, name="home"),
    path("profile/webhooks/<int:workspace_id>/", views.endpoint_list, name="list"),
    path("profile/webhooks/<int:workspace_id>/<int:endpoint_id>/", views.endpoint_detail, name="detail"),
    path(
        "profile/webhooks/<int:workspace_id>/<int:endpoint_id>/secret/", views.endpoint_secret, name="secret"
    ),
    path(
        "profile/webhooks/<int:workspace_id>/<int:endpoint_id>/rotate/", views.endpoint_rotate, name="rotate"
    ),
    path("profile/webhooks/<int:workspace_id>/<int:endpoint_id>/test/", views.endpoint_test, name="test"),
    path(
        "profile/webhooks/<int:workspace_id>/<int:endpoint_id>/toggle/", views.endpoint_toggle, name="toggle"
    ),
    path(
        "profile/webhooks/<int:workspace_id>/<int:endpoint_id>/delete/", views.endpoint_delete, name="delete"
    ),
    path(
        "profile/webhooks/<int:workspace_id>/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
