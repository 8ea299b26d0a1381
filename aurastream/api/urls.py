from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import views as accounts_api
from generation.api import events as generation_events
from generation.api import views as generation_api

from . import auth

urlpatterns = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="api-token"),
    path("auth/token/refresh/", auth.TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/token/verify/", auth.TokenVerifyView.as_view(), name="api-token-verify"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-logout"),
    path("me/", accounts_api.me, name="api-me"),
    path("platforms/", generation_api.platform_list, name="api-platforms"),
    path("generations/", generation_api.generation_list, name="api-generations"),
    path("generations/<uuid:job_id>/", generation_api.generation_detail, name="api-generation"),
    path("generations/<uuid:job_id>/cancel/", generation_api.generation_cancel, name="api-generation-cancel"),
    path(
        "generations/<uuid:job_id>/events", generation_events.generation_events, name="api-generation-events"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
