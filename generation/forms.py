from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from aurastream.types import form_field
from brandkits.models import BrandKit, CreatorMedia
from platforms import registry, spec_get
from platforms.types import PlatformSpec

from .engine.motion.animations import ANIMATIONS, choices, default_for
from .engine.reading import LAYOUT_LABELS, LAYOUTS, STYLE_WORDS
from .engine.types import SPEEDS
from .models import GenerationJob
from .quick.templates import QuickTemplate
from .services import MAX_LOOPS, MAX_REFERENCES, MAX_VARIANTS, JobRequest

# The styles the engine finishes art in (keys of reading.STYLE_WORDS), as creators read them
# where the key alone would not do.
STYLE_LABELS: dict[str, str] = {"pixel": "Pixel art"}
LET_THE_WORDS_DECIDE = ("", "Let the words decide")


def layout_choices() -> list[tuple[str, str]]:
    """Every asset family's layouts, each once; the page lists only the chosen type's."""
    names = dict.fromkeys(name for family in LAYOUTS.values() for name in family)
    return [LET_THE_WORDS_DECIDE, *((name, LAYOUT_LABELS.get(name, name).capitalize()) for name in names)]


# Frame rates: the type's own, or 60 for the alerts and overlays that take it (their WebM).
FRAME_RATES = [(0, "The type's own"), (30, "30 fps"), (60, "60 fps (WebM)")]
# How often an animated file plays: forever, or a few times and then it rests.
PLAYS = [(0, "Forever"), *((n, f"{n} time{'s' if n > 1 else ''}") for n in (1, 2, 3, 5, MAX_LOOPS))]


def animation_choices() -> list[tuple[str, str]]:
    return [("", "The asset type's default"), *((a.key, a.label) for a in ANIMATIONS.values())]


def style_choices() -> list[tuple[str, str]]:
    return [LET_THE_WORDS_DECIDE, *((key, STYLE_LABELS.get(key, key.capitalize())) for key in STYLE_WORDS)]


class LayoutSelect(forms.Select):
    """A layout <select> whose options say which asset families have them (data-families), so
    the page can offer only the chosen type's layouts; the server checks it either way."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            families = [family for family, names in LAYOUTS.items() if value in names]
            option["attrs"]["data-families"] = " ".join(families)
        return option


class AnimationSelect(forms.Select):
    """An animation <select> whose options say which asset families can use them
    (data-families), so the page offers only the chosen type's; the server checks either way."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value in ANIMATIONS:
            option["attrs"]["data-families"] = " ".join(sorted(ANIMATIONS[value].families))
        return option


def spec_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Asset types grouped by platform, for a <select> with optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for spec in registry().all():
        groups.setdefault(spec.platform_label, []).append((spec.key, f"{spec.platform_label} · {spec.label}"))
    return list(groups.items())


class MediaChoiceField(forms.ModelMultipleChoiceField):
    """Up to two of the creator's own images, as checkboxes labelled with their names."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=CreatorMedia.objects.none(),
            required=False,
            label="Your images",
            help_text="Up to two of your own images to put in: a face, a mascot, game art.",
            **kwargs,
        )

    def label_from_instance(self, obj: CreatorMedia) -> str:
        return f"{obj.name} ({obj.get_role_display().lower()})"

    def clean(self, value: Any) -> Any:
        chosen = super().clean(value)
        if chosen is not None and len(chosen) > MAX_REFERENCES:
            raise forms.ValidationError(f"Choose at most {MAX_REFERENCES} images.")
        return chosen


def _spec_or_none(key: str) -> PlatformSpec | None:
    try:
        return spec_get(key)
    except KeyError:
        return None


class GenerateForm(forms.Form):
    spec_key = forms.ChoiceField(label="Platform and asset type")
    prompt = forms.CharField(
        label="Describe it",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": 'A cozy "GG" emote with a purple cat'}),
        help_text='Put words you want on the asset in quotes, e.g. "HYPE".',
    )
    text = forms.CharField(
        label="Text on the asset",
        max_length=120,
        required=False,
        help_text="Headline, emote word or label. Set in your brand font, spelled exactly.",
    )
    pack = forms.ChoiceField(label="Make", choices=GenerationJob.Pack.choices, required=False)
    pack_items = forms.CharField(
        label="Pack items",
        required=False,
        help_text="Emote ideas, one per line or comma-separated (GG, HYPE, love heart…); "
        "badge tiers in months (1, 3, 6, 12); or panel labels (About, Schedule, Rules).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    layout = forms.ChoiceField(
        label="Layout",
        required=False,
        widget=LayoutSelect,
        help_text="Where the art and the words go. Left to the words, a layout they name is used, "
        "else one is picked for each variant.",
    )
    style = forms.ChoiceField(
        label="Style",
        required=False,
        help_text="How the art is finished. Left to the words, a style they name is used, else your kit's.",
    )
    variants = forms.IntegerField(label="Variants", min_value=1, max_value=MAX_VARIANTS, initial=1)
    seed = forms.IntegerField(
        label="Seed", required=False, min_value=0, max_value=2**31 - 1, help_text="Same seed, same result."
    )
    negative_prompt = forms.CharField(label="Avoid", max_length=300, required=False)
    brand_kit = forms.ModelChoiceField(
        label="Brand kit",
        queryset=BrandKit.objects.none(),
        required=False,
        empty_label="My default kit",
        help_text="Colours, fonts, logo and channel name come from this kit.",
    )
    images = MediaChoiceField()
    # Animated asset types only (Pro and Studio).
    animation = forms.ChoiceField(
        label="Animation",
        required=False,
        choices=animation_choices,
        widget=AnimationSelect,
        help_text="How an animated asset moves. Every file is checked for flashing (WCAG 2.3.1).",
    )
    speed = forms.ChoiceField(
        label="Speed", required=False, choices=[(key, key.title()) for key in SPEEDS], initial="normal"
    )
    loops = forms.TypedChoiceField(
        label="Plays",
        required=False,
        coerce=int,
        empty_value=None,
        choices=PLAYS,
        initial=0,
    )
    fps = forms.TypedChoiceField(
        label="Frame rate",
        required=False,
        coerce=int,
        empty_value=None,
        choices=FRAME_RATES,
        initial=0,
        help_text="Alerts and overlays also play at 60.",
    )

    def __init__(
        self,
        *args: Any,
        brand_kits: QuerySet[BrandKit] | None = None,
        media: QuerySet[CreatorMedia] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "spec_key", forms.ChoiceField).choices = spec_choices()
        form_field(self, "layout", forms.ChoiceField).choices = layout_choices()
        form_field(self, "style", forms.ChoiceField).choices = style_choices()
        if brand_kits is not None:
            form_field(self, "brand_kit", forms.ModelChoiceField).queryset = brand_kits
        if media is not None:
            form_field(self, "images", forms.ModelChoiceField).queryset = media

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        layout, spec_key = data.get("layout"), data.get("spec_key")
        spec = _spec_or_none(spec_key) if layout and spec_key else None
        if spec is not None:
            names = LAYOUTS.get(spec.family, ())
            if layout not in names:
                kind = f"A {spec.platform_label} {spec.label.lower()}"
                if names:
                    listed = ", ".join(LAYOUT_LABELS.get(name, name) for name in names)
                    self.add_error(
                        "layout", f"{kind} has no such layout: choose {listed}, or let the words decide."
                    )
                else:
                    self.add_error("layout", f"{kind} has one layout of its own: let the words decide.")
        return data

    def job_request(self) -> JobRequest:
        """The request in the form (the fields that are valid; Create's live reading takes it
        while the form is still being filled in)."""
        data = self.cleaned_data
        spec = _spec_or_none(data.get("spec_key") or "")
        moves = spec is not None and spec.animated  # a still type's form keeps hidden motion fields
        raw_items = data.get("pack_items") or ""
        items = [part.strip() for part in raw_items.replace("\n", ",").split(",") if part.strip()]
        return JobRequest(
            spec_key=data.get("spec_key") or "",
            prompt=data.get("prompt") or "",
            text=data.get("text") or "",
            negative_prompt=data.get("negative_prompt") or "",
            variants=data.get("variants") or 1,
            pack=data.get("pack") or "",
            pack_items=items,
            seed=data.get("seed"),
            brand_kit_id=data["brand_kit"].pk if data.get("brand_kit") else None,
            media_ids=tuple(m.pk for m in data.get("images") or ()),
            layout=data.get("layout") or "",
            style=data.get("style") or "",
            animation=(data.get("animation") or "") if moves else "",
            speed=(data.get("speed") or "") if moves else "",
            loops=(data.get("loops") or 0) if moves else 0,
            fps=(data.get("fps") or 0) if moves else 0,
        )


class QuickCreateForm(forms.Form):
    """A Quick Create template's choices: a vibe, its (at most three) fields, the brand kit and
    the seed the preview was drawn with (so Generate makes what the preview shows)."""

    vibe = forms.ChoiceField(label="Vibe", widget=forms.RadioSelect)
    brand_kit = forms.ModelChoiceField(
        label="Brand kit", queryset=BrandKit.objects.none(), required=False, empty_label="My default kit"
    )
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)
    images = MediaChoiceField()

    def __init__(
        self,
        *args: Any,
        template: QuickTemplate,
        brand_kits: QuerySet[BrandKit] | None = None,
        media: QuerySet[CreatorMedia] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        if media is not None:
            form_field(self, "images", forms.ModelChoiceField).queryset = media
        vibe = form_field(self, "vibe", forms.ChoiceField)
        vibe.choices = [(v.key, v.name) for v in template.vibes]
        vibe.initial = template.vibes[0].key
        if brand_kits is not None:
            form_field(self, "brand_kit", forms.ModelChoiceField).queryset = brand_kits
        for field in template.fields:
            self.fields[f"f_{field.key}"] = forms.CharField(
                label=field.label,
                max_length=field.max_length,
                required=field.required,
                initial=field.default,
                help_text=field.help,
                widget=forms.TextInput(
                    attrs={"placeholder": field.placeholder, "maxlength": field.max_length}
                ),
            )

    def template_fields(self) -> list[forms.BoundField]:
        return [self[f"f_{field.key}"] for field in self.template.fields]

    def values(self) -> dict[str, str]:
        return {field.key: self.cleaned_data.get(f"f_{field.key}") or "" for field in self.template.fields}

    def brand_kit_id(self) -> int | None:
        kit = self.cleaned_data.get("brand_kit")
        return kit.pk if kit else None

    def media_ids(self) -> tuple[int, ...]:
        return tuple(m.pk for m in self.cleaned_data.get("images") or ())


class AnimateForm(forms.Form):
    """Make an existing design move: the animated type, the animation, its speed and plays."""

    spec_key = forms.ChoiceField(label="Make it a")
    animation = forms.ChoiceField(
        label="Animation", choices=[(a.key, a.label) for a in ANIMATIONS.values()], widget=AnimationSelect
    )
    speed = forms.ChoiceField(
        label="Speed",
        choices=[(key, key.title()) for key in SPEEDS],
        initial="normal",
        widget=forms.RadioSelect,
    )
    loops = forms.TypedChoiceField(
        label="Plays",
        coerce=int,
        choices=PLAYS,
        initial=0,
    )
    fps = forms.TypedChoiceField(
        label="Frame rate", required=False, coerce=int, empty_value=None, choices=FRAME_RATES, initial=0
    )

    def __init__(self, *args: Any, targets: list[PlatformSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "spec_key", forms.ChoiceField).choices = [
            (spec.key, f"{spec.platform_label} {spec.label.lower()}") for spec in targets
        ]
        # The animations the offered types take (an overlay's frame never moves), the first
        # type's own default first chosen.
        offered = {animation.key for spec in targets for animation in choices(spec)}
        form_field(self, "animation", forms.ChoiceField).choices = [
            (animation.key, animation.label) for animation in ANIMATIONS.values() if animation.key in offered
        ]
        rates = sorted({rate for spec in targets if spec.motion for rate in spec.motion.rates[1:]})
        form_field(self, "fps", forms.TypedChoiceField).choices = [
            (0, "The type's own"),
            *((rate, f"{rate} fps (alerts and overlays)") for rate in rates),
        ]
        if targets:
            self.fields["spec_key"].initial = targets[0].key
            self.fields["animation"].initial = default_for(targets[0])
