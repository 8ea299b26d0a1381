from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        from django.conf import settings

        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUPS", True))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        """Start the creator's profile from what the provider knows (their channel name)."""
        user = super().populate_user(request, sociallogin, data)
        if not user.display_name:
            name = (
                data.get("name")
                or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
                or data.get("username")
                or ""
            )
            user.display_name = name[:60]
        return user
