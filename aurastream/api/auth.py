"""Token endpoints for API clients, throttled harder than the rest of the API.

They work as the system (``aurastream.middleware``): a token is issued, refreshed or revoked
for an account that nobody acts for yet, found by its email or by the token itself."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views

from . import tokens

AUTH_THROTTLES: list[type[BaseThrottle]] = [ScopedRateThrottle]


class TokenObtainView(jwt_views.TokenObtainPairView):
    """Exchange email and password for an access and a refresh token (verified accounts only)."""

    serializer_class = tokens.TokenObtainSerializer
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"
    system_work = True


class TokenRefreshView(jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""

    serializer_class = tokens.TokenRefreshSerializer
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"
    system_work = True


class TokenVerifyView(jwt_views.TokenVerifyView):
    """Check that a token is valid (and its account unchanged since it was issued)."""

    serializer_class = tokens.TokenVerifySerializer
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"
    system_work = True


class LogoutView(jwt_views.TokenBlacklistView):
    """Blacklist a refresh token so it can never be used again."""

    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"
    system_work = True
