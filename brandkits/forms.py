from __future__ import annotations

from typing import Any

from django import forms

from aurastream.types import form_field

from .font_choices import FONT_CHOICES
from .models import BrandFont, BrandKit, BrandLogo, CreatorMedia, clean_hex


class ColorInput(forms.TextInput):
    """A native colour picker that still accepts a typed hex code without JavaScript."""

    input_type = "color"


class ColorField(forms.CharField):
    """A #RRGGBB colour; short and lower-case forms are accepted and normalised."""

    widget = ColorInput

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return clean_hex(value) if value else value


def _words(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


class BrandKitForm(forms.Form):
    name = forms.CharField(max_length=80)
    primary_color = ColorField(label="Primary")
    secondary_color = ColorField(label="Secondary")
    accent_color = ColorField(label="Accent")
    background_color = ColorField(label="Background")
    text_color = ColorField(label="Text")
    extra_colors = forms.CharField(
        label="Extra swatches", required=False, help_text="Hex codes, comma-separated (#FFB800, #00E0FF)."
    )
    heading_font = forms.ChoiceField(label="Heading font", choices=FONT_CHOICES)
    body_font = forms.ChoiceField(label="Body font", choices=FONT_CHOICES)
    heading_font_file = forms.ModelChoiceField(
        label="Or your own heading font", queryset=BrandFont.objects.none(), required=False
    )
    body_font_file = forms.ModelChoiceField(
        label="Or your own body font", queryset=BrandFont.objects.none(), required=False
    )
    art_style = forms.CharField(label="Art style", max_length=120, required=False)
    mood = forms.CharField(max_length=120, required=False)
    keywords = forms.CharField(required=False, help_text="Comma-separated: neon, cats, retro.")
    avoid = forms.CharField(label="Avoid", required=False, help_text="Comma-separated: gore, clowns.")
    voice = forms.ChoiceField(label="Voice for on-image text", choices=BrandKit.Voice.choices)
    channel_name = forms.CharField(label="Channel name", max_length=60, required=False)
    tagline = forms.CharField(max_length=120, required=False)
    schedule = forms.CharField(max_length=120, required=False, help_text="e.g. Mon · Wed · Fri 8 PM")
    twitch = forms.CharField(label="Twitch", max_length=80, required=False)
    youtube = forms.CharField(label="YouTube", max_length=80, required=False)
    tiktok = forms.CharField(label="TikTok", max_length=80, required=False)
    x = forms.CharField(label="X", max_length=80, required=False)
    discord = forms.CharField(label="Discord", max_length=80, required=False)

    SOCIALS = ("twitch", "youtube", "tiktok", "x", "discord")

    def __init__(self, *args: Any, fonts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fonts is not None:
            for name in ("heading_font_file", "body_font_file"):
                form_field(self, name, forms.ModelChoiceField).queryset = fonts

    @classmethod
    def initial_for(cls, kit: BrandKit) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(kit, name)
            for name in (
                "name", "primary_color", "secondary_color", "accent_color", "background_color",
                "text_color", "heading_font", "body_font", "art_style", "mood", "voice", "channel_name",
                "tagline", "schedule",
            )
        }  # fmt: skip
        initial["heading_font_file"] = kit.heading_font_file_id
        initial["body_font_file"] = kit.body_font_file_id
        initial["extra_colors"] = ", ".join(kit.extra_colors)
        initial["keywords"] = ", ".join(kit.keywords)
        initial["avoid"] = ", ".join(kit.avoid)
        initial.update({network: kit.socials.get(network, "") for network in cls.SOCIALS})
        return initial

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        fields = {k: v for k, v in data.items() if k not in self.SOCIALS}
        fields["extra_colors"] = _words(data.get("extra_colors") or "")
        fields["keywords"] = _words(data.get("keywords") or "")
        fields["avoid"] = _words(data.get("avoid") or "")
        fields["socials"] = {network: data.get(network) or "" for network in self.SOCIALS}
        return fields


IMAGE_TYPES = "image/png,image/jpeg,image/webp"


def _upload_field(*, label: str, help_text: str, accept: str) -> forms.FileField:
    """A file field for an upload the services check: empty files reach those checks, which
    explain them in their own words."""
    return forms.FileField(
        allow_empty_file=True,
        label=label,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": accept}),
    )


class LogoUploadForm(forms.Form):
    role = forms.ChoiceField(choices=BrandLogo.Role.choices)
    file = _upload_field(
        label="Logo file",
        help_text="PNG, JPEG or WebP, up to 10 MB. Transparent PNGs work best.",
        accept=IMAGE_TYPES,
    )


class FontUploadForm(forms.Form):
    file = _upload_field(
        label="Font file",
        help_text="TTF or OTF, up to 5 MB, with a licence that allows embedding.",
        accept=".ttf,.otf,font/ttf,font/otf",
    )


class PaletteFromImageForm(forms.Form):
    file = _upload_field(
        label="An image of your brand",
        help_text="A logo, an old banner or a screenshot. We suggest colours and fonts from it.",
        accept=IMAGE_TYPES,
    )


class MediaUploadForm(forms.Form):
    image = forms.FileField(
        label="Image",
        help_text="PNG, JPEG or WebP, up to 10 MB. "
        "A transparent PNG or a flat background gives a clean cut-out.",
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES}),
    )
    name = forms.CharField(label="Name", max_length=80, required=False)
    role = forms.ChoiceField(label="What is it?", choices=CreatorMedia.Role.choices, initial="face")
