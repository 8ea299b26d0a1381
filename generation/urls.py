from django.urls import path

from . import views
from .quick import views as quick_views

app_name = "generation"

urlpatterns = [
    path("create/", views.generate, name="generate"),
    path("create/cost/", views.job_cost, name="job_cost"),
    path("create/understood/", views.understood_panel, name="understood"),
    path("create/brand-preview/", views.brand_preview, name="brand_preview"),
    path("create/quick/", quick_views.gallery, name="quick_gallery"),
    path("create/quick/<slug:key>/", quick_views.create, name="quick_create"),
    path("create/quick/<slug:key>/preview/", quick_views.preview_panel, name="quick_preview_panel"),
    path("create/quick/<slug:key>/preview.png", quick_views.preview_image, name="quick_preview"),
    path("create/jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("create/jobs/<uuid:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("create/jobs/<uuid:job_id>/remix/", views.job_remix, name="job_remix"),
    path("create/jobs/<uuid:job_id>/regenerate/", views.job_regenerate, name="job_regenerate"),
    path("create/assets/<uuid:asset_id>/refine/", views.refine, name="refine"),
    path("create/assets/<uuid:asset_id>/animate/", views.animate, name="animate"),
    path("create/assets/<uuid:asset_id>/understood/", views.asset_understood, name="asset_understood"),
]
