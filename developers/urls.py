from django.urls import path

from . import views

app_name = "developers"

urlpatterns = [
    path("profile/api-keys/", views.key_list, name="list"),
    path("profile/api-keys/new/", views.key_create, name="new"),
    path("profile/api-keys/<int:key_id>/revoke/", views.key_revoke, name="revoke"),
]
