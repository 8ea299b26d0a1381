"""What the analytics keep: raw events for at most ``ANALYTICS_RAW_DAYS`` (30) and daily
roll-ups for good. No row holds an IP address, a user agent, a cookie or a full URL: a
visitor is a hash salted with a random salt that changes every day, a page is its route
template (``/library/<uuid:pk>/``), a referrer only its host.

Only system work reads or writes these tables (the roll-up task, the staff dashboard in the
admin); row-level security keeps them from every creator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aurastream import events


class EventName(models.TextChoices):
    SIGNUP = events.SIGNUP, "Signed up"
    EMAIL_VERIFIED = events.EMAIL_VERIFIED, "Verified email"
    BRAND_KIT_CREATED = events.BRAND_KIT_CREATED, "Created a brand kit"
    ASSET_CREATED = events.ASSET_CREATED, "Generated an asset"
    PACK_CREATED = events.PACK_CREATED, "Generated a pack"
    COACH_SESSION = events.COACH_SESSION, "Started a coach session"
    CHECKOUT_STARTED = events.CHECKOUT_STARTED, "Started checkout"
    SUBSCRIPTION_STARTED = events.SUBSCRIPTION_STARTED, "Subscription started"
    SUBSCRIPTION_CANCELLED = events.SUBSCRIPTION_CANCELLED, "Subscription cancelled"
    REFINE = events.REFINE, "Refined an asset"
    SHARE_CREATED = events.SHARE_CREATED, "Created a share link"
    SHARE_VIEWED = events.SHARE_VIEWED, "Share link viewed"


class Device(models.TextChoices):
    DESKTOP = "desktop", "Desktop"
    MOBILE = "mobile", "Mobile"
    TABLET = "tablet", "Tablet"


class PageView(models.Model):
    """One page view (raw; purged after ``ANALYTICS_RAW_DAYS``)."""

    event_id = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField(db_index=True)
    visitor = models.CharField(max_length=16, help_text="A hash salted per day: not a person, not a device.")
    path = models.CharField(max_length=200, help_text="The route template, never the URL asked for.")
    signed_in = models.BooleanField(default=False)
    referrer = models.CharField(max_length=120, blank=True, help_text="The referring site's host.")
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    device = models.CharField(max_length=10, choices=Device.choices)
    country = models.CharField(max_length=2, blank=True, help_text="From the proxy's header, if any.")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.path} at {self.at:%Y-%m-%d %H:%M}"


class ProductEvent(models.Model):
    """One product event (raw; purged after ``ANALYTICS_RAW_DAYS``)."""

    event_id = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField(db_index=True)
    name = models.CharField(max_length=30, choices=EventName.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=True
    )
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["name", "at"])]

    def __str__(self) -> str:
        return f"{self.get_name_display()} at {self.at:%Y-%m-%d %H:%M}"


class Dimension(models.TextChoices):
    TOTAL = "total", "All traffic"
    PAGE = "page", "Page"
    REFERRER = "referrer", "Referrer"
    UTM_SOURCE = "utm_source", "UTM source"
    UTM_MEDIUM = "utm_medium", "UTM medium"
    UTM_CAMPAIGN = "utm_campaign", "UTM campaign"
    DEVICE = "device", "Device"
    COUNTRY = "country", "Country"
    AUDIENCE = "audience", "Signed in or not"


class DailyTraffic(models.Model):
    """Page views and visitors of one day, by one dimension's value (kept for good).

    Visitors are counted within the day: the salt changes daily, so the same person on two
    days is two visitors (a range's visitors are the sum of its days')."""

    day = models.DateField()
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    value = models.CharField(max_length=200, blank=True)
    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(fields=["day", "dimension", "value"], name="daily_traffic_once")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.get_dimension_display()} {self.value}".strip()


class DailyEvent(models.Model):
    """How often product event ``name`` happened on ``day`` and to how many creators; with a
    ``detail`` (a plan, an asset type) the same split by it (kept for good)."""

    day = models.DateField()
    name = models.CharField(max_length=30, choices=EventName.choices)
    detail = models.CharField(max_length=60, blank=True)
    events = models.PositiveIntegerField(default=0)
    users = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "name", "detail"]
        constraints = [models.UniqueConstraint(fields=["day", "name", "detail"], name="daily_event_once")]

    def __str__(self) -> str:
        return f"{self.day}: {self.get_name_display()} {self.detail}".strip()


class Journey(models.Model):
    """When a creator first reached each step of the way to a paid plan (kept with the account)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    signed_up_at = models.DateTimeField(null=True, db_index=True)
    verified_at = models.DateTimeField(null=True)
    first_brand_kit_at = models.DateTimeField(null=True)
    first_asset_at = models.DateTimeField(null=True)
    first_pack_at = models.DateTimeField(null=True)
    first_coach_at = models.DateTimeField(null=True)
    checkout_started_at = models.DateTimeField(null=True)
    paid_at = models.DateTimeField(null=True)
    cancelled_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"Journey of creator {self.user_id}"


class ActiveDay(models.Model):
    """A day a creator was active (a signed-in page view or a product event): monthly
    active users and cohort retention (kept with the account)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="active_day_once")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"Creator {self.user_id} active on {self.day}"
