from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit  # the usage objects allauth's own adapter rolls back
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.models import Site
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from . import services


class AccountAdapter(DefaultAccountAdapter):
    """Every way to present a password (the sign-in form, API tokens, the admin's sign-in) goes
    through ``authenticate`` here, so they share one lockout:

    - ``login_failed`` (``ACCOUNT_RATE_LIMITS``): per IP, and strictly per account *and* IP, so
      someone failing from their own address locks only that pair, not the real owner;
    - ``login_failed_account``: a softer limit per account across every address, which stops a
      spread-out guessing run (30 addresses, one account) without letting one attacker lock the
      owner out for long.

    A successful password reset clears both for the account, so the owner always gets back in
    through the reset email.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.ACCOUNT_ALLOW_SIGNUPS)

    def _account_key(self, request: HttpRequest, **credentials: Any) -> str:
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        return f"{get_current_site(request).domain}:{login}"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        return f"{self._account_key(request, **credentials)}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        self._account_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._account_key(request, **credentials),
        )
        if not self._account_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._account_key(request, **credentials),
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Verification, reset and notice emails leave through the worker, after commit.

        They name the site from settings (``SITE_NAME``, ``SITE_DOMAIN``), whatever the Sites
        table holds (a flushed test database re-creates Django's "example.com")."""
        request = allauth_context.request
        site = Site(name=settings.SITE_NAME, domain=settings.SITE_DOMAIN)
        message = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context, "current_site": site}
        )
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
