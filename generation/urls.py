from django.urls import path

from . import views

app_name = "generation"

urlpatterns = [
    path("create/", views.generate, name="generate"),
    path("create/cost/", views.job_cost, name="job_cost"),
    path("create/brand-preview/", views.brand_preview, name="brand_preview"),
    path("create/jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("create/jobs/<uuid:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("create/jobs/<uuid:job_id>/remix/", views.job_remix, name="job_remix"),
    path("create/jobs/<uuid:job_id>/regenerate/", views.job_regenerate, name="job_regenerate"),
]
