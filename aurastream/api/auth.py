"""Token endpoints for API clients, throttled harder than the rest of the API.

They work as the system (``aurastream.middleware``): a token is issued, refreshed or revoked
for an account that nobody acts for yet, found by its email or by the token itself."""

from __future__ import annotations

from collections.abc import Sequence

from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views

from . import tokens


class TokenEndpoint:
    """What every token endpoint shares: the "auth" throttle scope, and system work."""

    throttle_classes: Sequence[type[BaseThrottle]] = [ScopedRateThrottle]
    throttle_scope = "auth"
    system_work = True


class TokenObtainView(TokenEndpoint, jwt_views.TokenObtainPairView):
    """Exchange email and password for an access and a refresh token (verified accounts only)."""

    serializer_class = tokens.TokenObtainSerializer


class TokenRefreshView(TokenEndpoint, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""

    serializer_class = tokens.TokenRefreshSerializer


class TokenVerifyView(TokenEndpoint, jwt_views.TokenVerifyView):
    """Check that a token is valid (and its account unchanged since it was issued)."""

    serializer_class = tokens.TokenVerifySerializer


class LogoutView(TokenEndpoint, jwt_views.TokenBlacklistView):
    """Blacklist a refresh token so it can never be used again."""
