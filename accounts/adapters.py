from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOW_SIGNUPS)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Verification, reset and notice emails leave through the worker, after commit."""
        message = self.render_mail(template_prefix, email, context)
        services.email_enqueue(message=message)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        """Start the creator's profile from what the provider knows (their channel name)."""
        user = super().populate_user(request, sociallogin, data)
        if not user.display_name:
            extra = sociallogin.account.extra_data or {}
            name = (
                # Discord's display name; allauth maps its handle to `name`.
                extra.get("global_name")
                or data.get("name")
                or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
                or data.get("username")
                or ""
            )
            user.display_name = name[:60]
        return user
