"""Who is asking: accounts, sign-in (allauth, social logins) and the API's authentication."""

from __future__ import annotations

from datetime import timedelta

from .environment import env

# --- Auth and accounts ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, finding accounts as system work (accounts/backends.py).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "landing"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# "optional" in the embedded default so a self-hoster without SMTP can still sign up;
# production.py makes it mandatory.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AuraStream] "
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth keeps its rate limits (login failures, signups, resets…) in the default cache,
# which is Redis, shared by every process, when REDIS_URL is set.
# One lockout for every way to present a password (sign-in form, API tokens, admin sign-in):
# "login_failed" counts failures per IP and per account-and-IP pair (accounts.adapters);
# "login_failed_account" is the softer limit per account across every address. A successful
# password reset clears both, so the owner can always get back in by email.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "20/15m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
# Links a provider login to an existing account only when the provider says it verified the
# email; an unverified address never takes over an account (allauth enforces the check).
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = ACCOUNT_EMAIL_VERIFICATION
SOCIALACCOUNT_STORE_TOKENS = False


def _social_app(provider: str) -> list[dict[str, str]]:
    """A provider is enabled when its client id and secret are both in the environment."""
    client_id = env.str(f"{provider}_CLIENT_ID", default="")
    secret = env.str(f"{provider}_CLIENT_SECRET", default="")
    if client_id and secret:
        return [{"client_id": client_id, "secret": secret, "key": ""}]
    return []


SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": _social_app("GOOGLE"),
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
    },
    # Twitch's Helix API only ever returns the user's verified address.
    "twitch": {"APPS": _social_app("TWITCH"), "SCOPE": ["user:read:email"], "VERIFIED_EMAIL": True},
    "discord": {"APPS": _social_app("DISCORD"), "SCOPE": ["identify", "email"]},
}

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # API keys first: a bearer token with the key prefix is a key, any other goes on to the JWT.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "developers.authentication.ApiKeyAuthentication",
        "aurastream.api.authentication.ActingUserJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # An API key's scopes on top (sessions and JWTs pass through ApiKeyScopes untouched).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "developers.permissions.ApiKeyScopes",
    ],
    # JSON with DRF's parser plus depth and text checks (aurastream.text); forms as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "aurastream.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "aurastream.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        # Only requests made with an API key: each key has its own budget.
        "developers.throttling.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "auth": env.str("API_THROTTLE_AUTH", default="20/min"),
        "api_key": env.str("API_THROTTLE_KEY", default="120/min"),
        # Refused API keys per client address (developers.throttling.RefusedKeyThrottle).
        "api_key_refused": env.str("API_THROTTLE_REFUSED_KEY", default="10/min"),
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    # Each refresh hands out a new refresh token and blacklists the old one, so a stolen
    # refresh token stops working the moment the real client uses it.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AuraStream API",
    "DESCRIPTION": "Brand kits, generation, coach, library and billing for streamers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "aurastream.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "FontKeyEnum": "brandkits.api.serializers.FONT_KEY_CHOICES",
        "LogoRoleEnum": "brandkits.models.BrandLogo.Role",
        "MediaRoleEnum": "brandkits.models.CreatorMedia.Role",
        "ConnectionStatusEnum": "connections.models.Connection.Status",
        "JobStatusEnum": "generation.models.GenerationJob.Status",
        "DeliveryStatusEnum": "webhooks.models.Delivery.Status",
    },
}
ACCOUNT_ALLOW_SIGNUPS = env.bool("ACCOUNT_ALLOW_SIGNUPS", default=True)
