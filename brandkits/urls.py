from django.urls import path

from . import views

app_name = "brandkits"

urlpatterns = [
    path("brand/", views.kit_list, name="list"),
    path("brand/new/", views.kit_create, name="create"),
    path("brand/new/from-image/", views.kit_from_image, name="from_image"),
    path("brand/contrast/", views.kit_contrast, name="contrast"),
    path("brand/fonts/", views.font_upload, name="font_upload"),
    path("brand/images/", views.media_list, name="media"),
    path("brand/images/<int:media_id>/delete/", views.media_delete, name="media_delete"),
    path("brand/images/<int:media_id>/restore/", views.media_restore, name="media_restore"),
    path("brand/images/<int:media_id>.png", views.media_file, name="media_file"),
    path("brand/<int:kit_id>/", views.kit_edit, name="edit"),
    path("brand/<int:kit_id>/delete/", views.kit_delete, name="delete"),
    path("brand/<int:kit_id>/restore/", views.kit_restore, name="restore"),
    path("brand/<int:kit_id>/default/", views.kit_set_default, name="set_default"),
    path("brand/<int:kit_id>/duplicate/", views.kit_duplicate, name="duplicate"),
    path("brand/<int:kit_id>/logos/", views.logo_upload, name="logo_upload"),
    path(
        "brand/<int:kit_id>/logos/<str:role>/remove-background/",
        views.logo_remove_background,
        name="logo_remove_background",
    ),
    path("brand/<int:kit_id>/logos/<str:role>/delete/", views.logo_delete, name="logo_delete"),
    path("brand/<int:kit_id>/logos/<str:role>/<str:variant>.png", views.logo_file, name="logo_file"),
]
