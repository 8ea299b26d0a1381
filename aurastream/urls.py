from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from djstripe.views import ProcessWebhookView

from accounts.signin import AdminLoginForm, answer_429_when_locked
from billing.webhooks import refuse_future_signatures, system_work_keeping_the_log

from . import dashboard, health, palette, views

admin.site.site_header = "AuraStream operations"
admin.site.site_title = "AuraStream admin"
admin.site.index_title = "Operations"
# The admin's sign-in shares the site's lockout (accounts.adapters) and answers 429 when locked.
admin.site.login_form = AdminLoginForm
admin.site.login = answer_429_when_locked(admin.site.login)  # type: ignore[method-assign]  # wrapped, same signature

urlpatterns = [
    path("", views.landing, name="landing"),
    # The dashboard gathers every app's work for the creator (aurastream/dashboard.py).
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("theme/", views.theme_set, name="theme_set"),
    path("palette/", palette.palette, name="palette"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # allauth's sign-in page, answering 429 when the shared lockout refuses an attempt.
    path("accounts/login/", answer_429_when_locked(allauth_views.login), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("brandkits.urls")),
    path("", include("generation.urls")),
    path("", include("coach.urls")),
    path("", include("library.urls")),
    path("", include("connections.urls")),
    path("", include("teams.urls")),
    path("", include("workspaces.urls")),
    path("", include("developers.urls")),
    path("", include("webhooks.urls")),
    path("", include("billing.urls")),
    path("api/v1/", include("aurastream.api.urls")),
    # Stripe's webhooks: /stripe/webhook/<endpoint uuid>/ (see `manage.py stripe_webhook`),
    # dj-stripe's view behind a check that refuses signatures dated in the future.
    path(
        "stripe/webhook/<uuid:uuid>/",
        refuse_future_signatures(system_work_keeping_the_log(ProcessWebhookView.as_view())),
    ),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    # The staff analytics dashboard (analytics/views.py), in the admin's look, before the admin
    # so its catch-all doesn't answer first.
    path("admin/analytics/", include("analytics.urls")),
    path("admin/", admin.site.urls),
]

if str(settings.STORAGES["default"]["BACKEND"]).endswith("FileSystemStorage"):
    # Local media in the embedded default. Private library files will get their own
    # authorised view; this serves only what is public by nature (avatars).
    urlpatterns += [
        re_path(r"^media/(?P<path>avatars/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler400 = "aurastream.views.bad_request"
handler403 = "aurastream.views.permission_denied"
handler404 = "aurastream.views.page_not_found"
handler500 = "aurastream.views.server_error"
