from django.urls import path

from . import views

app_name = "coach"

urlpatterns = [
    path("coach/", views.session_list, name="list"),
    path("coach/new/", views.session_new, name="new"),
    path("coach/<uuid:session_id>/", views.session_detail, name="session"),
    path("coach/<uuid:session_id>/generate/", views.session_generate, name="generate"),
    path("coach/<uuid:session_id>/rename/", views.session_rename, name="rename"),
    path("coach/<uuid:session_id>/delete/", views.session_delete, name="delete"),
    path("coach/<uuid:session_id>/restore/", views.session_restore, name="restore"),
]
