from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from aurastream.undo import LiveManager
from core import colors
from workspaces.models import InWorkspace

from .font_choices import font_name

INVALID_COLOUR = "Enter a colour as #RRGGBB."
HEX_COLOR = RegexValidator(r"^#[0-9A-F]{6}$", INVALID_COLOUR)


def clean_hex(value: object) -> str:
    """A colour as the kit stores it (``core.colors.normalize_hex``); anything else is a
    ValidationError for the form, the serializer or the service to show."""
    try:
        return colors.normalize_hex(value)
    except colors.InvalidColour:
        raise ValidationError(INVALID_COLOUR, code="invalid_colour") from None


def logo_upload_to(instance: BrandLogo, filename: str) -> str:
    return f"brandkits/{instance.kit.owner_id}/{instance.kit_id}/logos/{filename}"


def font_upload_to(instance: BrandFont, filename: str) -> str:
    return f"brandkits/{instance.owner_id}/fonts/{filename}"


class BrandKit(InWorkspace):
    """A creator's brand: colours, fonts, logos, style and channel info, applied to every asset."""

    class Voice(models.TextChoices):
        HYPE = "hype", "Hype"
        COZY = "cozy", "Cozy"
        CLEAN = "clean", "Clean"
        PLAYFUL = "playful", "Playful"
        DARK = "dark", "Dark and moody"
        PRO = "pro", "Professional"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_kits")
    name = models.CharField(max_length=80)
    is_default = models.BooleanField(default=False)

    primary_color = models.CharField(max_length=7, default="#7C3AED", validators=[HEX_COLOR])
    secondary_color = models.CharField(max_length=7, default="#DB2777", validators=[HEX_COLOR])
    accent_color = models.CharField(max_length=7, default="#22D3EE", validators=[HEX_COLOR])
    background_color = models.CharField(max_length=7, default="#0F0B1E", validators=[HEX_COLOR])
    text_color = models.CharField(max_length=7, default="#FFFFFF", validators=[HEX_COLOR])
    extra_colors = models.JSONField(default=list, blank=True, help_text="More swatches, as #RRGGBB.")

    # A bundled font key (see brandkits.font_choices) unless an uploaded font is chosen.
    heading_font = models.CharField(max_length=40, default="fredoka-one")
    body_font = models.CharField(max_length=40, default="manrope")
    heading_font_file = models.ForeignKey(
        "BrandFont", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body_font_file = models.ForeignKey(
        "BrandFont", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    art_style = models.CharField(
        max_length=120, blank=True, help_text="e.g. flat vector, 3D glossy, pixel art"
    )
    mood = models.CharField(max_length=120, blank=True, help_text="e.g. hype, cozy, spooky")
    keywords = models.JSONField(default=list, blank=True)
    avoid = models.JSONField(default=list, blank=True, help_text="Things to keep out of the art.")
    voice = models.CharField(max_length=20, choices=Voice.choices, default=Voice.HYPE)

    channel_name = models.CharField(max_length=60, blank=True)
    tagline = models.CharField(max_length=120, blank=True)
    schedule = models.CharField(max_length=120, blank=True, help_text="e.g. Mon · Wed · Fri 8 PM")
    socials = models.JSONField(default=dict, blank=True, help_text="Handles by network, e.g. twitch, x.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Deleted: restorable until the undo window passes, then purged (brandkits.purge_deleted).
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LiveManager["BrandKit"]()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="brand_kit_one_default_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def heading_font_name(self) -> str:
        return font_name(self.heading_font)

    @property
    def body_font_name(self) -> str:
        return font_name(self.body_font)

    @property
    def palette(self) -> dict[str, str]:
        return {
            "primary": self.primary_color,
            "secondary": self.secondary_color,
            "accent": self.accent_color,
            "background": self.background_color,
            "text": self.text_color,
        }


class BrandLogo(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary logo"
        ICON = "icon", "Icon"
        WORDMARK = "wordmark", "Wordmark"

    kit = models.ForeignKey(BrandKit, on_delete=models.CASCADE, related_name="logos")
    role = models.CharField(max_length=10, choices=Role.choices)
    # The upload re-encoded as PNG (metadata stripped), and the trimmed, padded version the
    # engine places on assets.
    original = models.FileField(upload_to=logo_upload_to, max_length=300)
    trimmed = models.FileField(upload_to=logo_upload_to, max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    has_transparency = models.BooleanField(default=False)
    flat_background = models.CharField(max_length=7, blank=True, help_text="Set when removal is offered.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["kit", "role"], name="brand_logo_one_per_role")]

    def __str__(self) -> str:
        return f"{self.kit} · {self.get_role_display()}"


class BrandFont(InWorkspace):
    """A font file a creator uploaded (paid plans), validated with fontTools."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_fonts")
    family = models.CharField(max_length=120)
    style = models.CharField(max_length=60, blank=True)
    weight = models.PositiveSmallIntegerField(default=400)
    format = models.CharField(max_length=3)
    file = models.FileField(upload_to=font_upload_to, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family", "weight"]

    def __str__(self) -> str:
        return f"{self.family} {self.style}".strip()


def media_upload_to(instance: CreatorMedia, filename: str) -> str:
    return f"brandkits/{instance.owner_id}/media/{filename}"


class CreatorMedia(InWorkspace):
    """One of the creator's own images (a face, a mascot, game art, an extra logo) that they can
    put into what they generate. Stored prepared for compositing (see ``media.py``)."""

    class Role(models.TextChoices):
        FACE = "face", "Face photo"
        MASCOT = "mascot", "Mascot or character"
        GAME_ART = "game_art", "Game art"
        LOGO = "logo", "Extra logo"
        OTHER = "other", "Other"

    class Kind(models.TextChoices):
        CUTOUT = "cutout", "Cut out"
        PHOTO = "photo", "Photo (framed)"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media")
    name = models.CharField(max_length=80)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.OTHER)
    image = models.FileField(upload_to=media_upload_to, max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleted: restorable until the undo window passes, then purged with its file
    # (brandkits.purge_deleted). Jobs that recorded it keep reading the file until then.
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LiveManager["CreatorMedia"]()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "creator media"
        verbose_name_plural = "creator media"
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.name
