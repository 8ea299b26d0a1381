"""Token endpoints for API clients, throttled harder than the rest of the API."""

from __future__ import annotations

from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views


class _AuthThrottled:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class TokenObtainView(_AuthThrottled, jwt_views.TokenObtainPairView):
    """Exchange email and password for an access and a refresh token."""


class TokenRefreshView(_AuthThrottled, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""


class TokenVerifyView(_AuthThrottled, jwt_views.TokenVerifyView):
    """Check that a token is valid."""


class LogoutView(_AuthThrottled, jwt_views.TokenBlacklistView):
    """Blacklist a refresh token so it can never be used again."""
