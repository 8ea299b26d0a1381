from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.crypto import salted_hmac

TIMEZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones())


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser must be staff and superuser.")
        return self._create_user(email, password, **extra)


class TourState(models.TextChoices):
    ACTIVE = "active", "Showing"
    SKIPPED = "skipped", "Skipped"
    DONE = "done", "Finished"


# The shortcuts' actions and their keys unless the creator rebinds them ("/" and "?" are fixed:
# search and the shortcut sheet). The G-then-key navigation reuses the page's key.
SHORTCUT_DEFAULTS: dict[str, str] = {
    "new": "n",
    "quick": "q",
    "library": "l",
    "brand": "b",
    "coach": "c",
    "refine": "e",
}
SHORTCUT_LABELS: dict[str, str] = {
    "new": "New asset (Create)",
    "quick": "Quick Create",
    "library": "Library",
    "brand": "Brand kits",
    "coach": "Prompt Coach",
    "refine": "Refine this asset (on an asset page)",
}


class User(AbstractBaseUser, PermissionsMixin):
    """A creator (or an operator, with is_staff). The email address is the login."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60, blank=True, help_text="Shown in the app and on shared assets."
    )
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    timezone = models.CharField(max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    is_staff = models.BooleanField(
        default=False, help_text="Designates whether the user can log into the admin."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=django_timezone.now)
    # Bumped by "sign out everywhere": every API token and every other browser session ends.
    token_version = models.PositiveIntegerField(default=0, editable=False)

    # Keyboard shortcuts (static/js/palette.js): on or off, and the creator's own keys for the
    # actions they rebound ({"library": "y"}); actions not named keep SHORTCUT_DEFAULTS.
    shortcuts_enabled = models.BooleanField(default=True)
    shortcut_keys = models.JSONField(default=dict, blank=True)
    # The onboarding tour: a new account starts it on its first visit (accounts created before
    # the tour existed were migrated as "done"); skipping or finishing it keeps the step reached.
    tour_state = models.CharField(max_length=10, choices=TourState.choices, default=TourState.ACTIVE)
    tour_step = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["-date_joined"]

    def __str__(self) -> str:
        return self.email

    def token_stamp(self) -> str:
        """What an API token is bound to: the password (changed or wiped), the email address
        and the token version. A token whose stamp no longer matches is refused."""
        material = f"{self.password}|{self.email}|{self.token_version}"
        return salted_hmac("aurastream.api.token-stamp", material, algorithm="sha256").hexdigest()[:32]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash (the password's), plus the token version once it has been
        bumped: "sign out everywhere" ends the other browser sessions too."""
        base = super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]  # private, not in the stubs
        if not self.token_version:
            return str(base)
        material = f"{base}|{self.token_version}"
        return salted_hmac("aurastream.session", material, secret=secret, algorithm="sha256").hexdigest()

    @property
    def name(self) -> str:
        """What the app calls the creator: their display name, else their email's local part."""
        return self.display_name or self.email.split("@", 1)[0]

    @property
    def initials(self) -> str:
        return self.name[:2].upper()

    def shortcut_bindings(self) -> dict[str, str]:
        """Every shortcut action with its key: the creator's own where they rebound it."""
        own = self.shortcut_keys if isinstance(self.shortcut_keys, dict) else {}
        return {action: str(own.get(action) or key) for action, key in SHORTCUT_DEFAULTS.items()}


class Milestone(models.Model):
    """A moment worth celebrating, reached once per creator (recorded by the services that make
    the asset, pack, kit or share). ``celebrated_at`` is set when the creator has seen it."""

    class Kind(models.TextChoices):
        FIRST_BRAND_KIT = "first_brand_kit", "First brand kit"
        FIRST_ASSET = "first_asset", "First asset"
        FIRST_PACK = "first_pack", "First pack"
        ASSETS_10 = "assets_10", "10 assets"
        ASSETS_100 = "assets_100", "100 assets"
        FIRST_SHARE = "first_share", "First share"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reached_at = models.DateTimeField(default=django_timezone.now)
    celebrated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reached_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="milestone_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"


class Notification(models.Model):
    """Something that happened to the creator's work while they may have been away: a job that
    finished or failed, a refine, a payment problem, assets about to expire. Stored first (the
    bell reads these rows), then pushed to any open tab (``accounts.services.notify``)."""

    class Kind(models.TextChoices):
        JOB_SUCCEEDED = "job_succeeded", "Job finished"
        JOB_FAILED = "job_failed", "Job failed"
        REFINE_DONE = "refine_done", "Refine done"
        PAYMENT_ISSUE = "payment_issue", "Payment problem"
        ASSETS_EXPIRING = "assets_expiring", "Assets expiring soon"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True, help_text="A path on this site, e.g. the job's page.")
    created_at = models.DateTimeField(default=django_timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an open tab received the live event: the creator was on a page, so a "your job
    # is done" email would only repeat what they saw.
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailKind(models.TextChoices):
    """The emails a creator may switch off. Verification, password reset and payment failures
    are transactional: always sent, never listed here."""

    WELCOME = "welcome", "Welcome and getting started"
    JOBS = "jobs", "Finished jobs (when you're not on the page)"
    PLAN = "plan", "Plan started, changed or cancelled"
    EXPIRY = "expiry", "Assets about to expire (Free plan)"


class EmailOptOut(models.Model):
    """One kind of email the creator switched off (on the preferences page or by one-click
    unsubscribe). No row: the email is sent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: no {self.kind}"
