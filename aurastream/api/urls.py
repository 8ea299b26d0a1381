from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import views as accounts_api

from . import auth

urlpatterns = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="api-token"),
    path("auth/token/refresh/", auth.TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/token/verify/", auth.TokenVerifyView.as_view(), name="api-token-verify"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-logout"),
    path("me/", accounts_api.me, name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
