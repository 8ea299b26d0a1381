from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path(
        "library/assets/<uuid:asset_id>/files/<str:label>/",
        views.rendition_download,
        name="rendition_download",
    ),
]
