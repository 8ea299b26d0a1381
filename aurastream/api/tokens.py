"""API tokens bound to the account they were issued for.

Only an active account with a verified email address gets tokens. Every token carries the
account's stamp (``User.token_stamp``: its password, email address and token version), checked
whenever the token is used or refreshed, so a password change, a password wiped by a social
sign-in, an email change, deactivation or "sign out everywhere" ends every token at once.
Refresh rotation and the blacklist work as before.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from rest_framework import exceptions
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken, Token, UntypedToken

from accounts import signin

STAMP_CLAIM = "stamp"
REVOKED = "This token was signed out (password or email changed, or signed out everywhere): sign in again."


class BoundRefreshToken(RefreshToken):
    """A refresh token (and the access tokens made from it) carrying the account's stamp."""

    @classmethod
    def for_user(cls, user: Any) -> BoundRefreshToken:
        token = super().for_user(user)
        token[STAMP_CLAIM] = user.token_stamp()
        return token  # type: ignore[return-value]  # made by cls; the stubs say the base class


def check_bound(token: Token, user: Any) -> None:
    """Refuse a token whose account has changed since it was issued."""
    if not user.is_active:
        raise exceptions.AuthenticationFailed("This account is not active.", code="user_inactive")
    if token.get(STAMP_CLAIM) != user.token_stamp():
        raise exceptions.AuthenticationFailed(REVOKED, code="token_revoked")


def has_verified_email(user: Any) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


class TokenObtainSerializer(jwt_serializers.TokenObtainPairSerializer):
    """Email and password in, a token pair out: through the site's sign-in lockout (the same
    as the sign-in page's and the admin's), for a verified, active account only."""

    token_class = BoundRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        request = self.context["request"]
        try:
            user = signin.authenticate(request, email=attrs[self.username_field], password=attrs["password"])
        except signin.Locked:
            raise exceptions.Throttled(
                wait=signin.RETRY_AFTER_SECONDS, detail=signin.LOCKED_MESSAGE
            ) from None
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            )
        self.user = user
        refresh = BoundRefreshToken.for_user(user)
        data = {"refresh": str(refresh), "access": str(refresh.access_token)}
        if api_settings.UPDATE_LAST_LOGIN:
            update_last_login(type(user), user)
        if not has_verified_email(user):
            raise exceptions.PermissionDenied(
                "Confirm your email address first: follow the link we sent you, then ask for a token.",
                code="email_not_verified",
            )
        return data


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    token_class = BoundRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        user = get_user_model().objects.filter(pk=refresh.get("user_id")).first()
        if user is None:
            raise InvalidToken("No account for this token.")
        check_bound(refresh, user)
        return super().validate(attrs)


class TokenVerifySerializer(jwt_serializers.TokenVerifySerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = super().validate(attrs)
        token = UntypedToken(attrs["token"])
        user = get_user_model().objects.filter(pk=token.get("user_id")).first()
        if user is None:
            raise InvalidToken("No account for this token.")
        check_bound(token, user)
        return data


__all__ = [
    "BoundRefreshToken",
    "TokenObtainSerializer",
    "TokenRefreshSerializer",
    "TokenVerifySerializer",
    "check_bound",
]
