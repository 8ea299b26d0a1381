from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from generation.engine.geometry import closest_aspect_ratio
from generation.engine.motion.animations import ANIMATIONS, choices
from generation.engine.reading import LAYOUT_LABELS, LAYOUTS, STYLE_WORDS
from generation.engine.types import SPEEDS
from generation.items import JobItem
from generation.models import GenerationJob
from generation.services import MAX_LOOPS, MAX_VARIANTS
from library.models import Asset, Rendition
from library.thumbnails import thumbnail_urls

# Every family's layouts, each once (the family check is the job service's).
LAYOUT_NAMES = tuple(dict.fromkeys(name for names in LAYOUTS.values() for name in names))
MEDIA_FIELD_HELP = "Up to two ids of your own images (GET /api/v1/media/) to put into the asset."


class PlatformSpecSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    platform = serializers.CharField()
    platform_label = serializers.CharField()
    asset_type = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    family = serializers.CharField()
    renditions = serializers.SerializerMethodField()
    formats = serializers.ListField(child=serializers.CharField())
    byte_cap = serializers.IntegerField(allow_null=True)
    transparent = serializers.BooleanField()
    circle = serializers.BooleanField()
    aspect_ratio = serializers.SerializerMethodField()
    safe_zone = serializers.SerializerMethodField()
    keep_clear = serializers.SerializerMethodField()
    legibility_px = serializers.IntegerField(allow_null=True)
    notes = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source
    checked = serializers.DateField(allow_null=True)
    motion = serializers.SerializerMethodField()

    def get_motion(self, spec: Any) -> dict[str, Any] | None:
        """Animated types: frame rate, frame limit, longest loop, and the animations offered."""
        if spec.motion is None:
            return None
        return {
            "fps": spec.motion.fps,
            "max_frames": spec.motion.max_frames,
            "max_seconds": spec.motion.max_seconds,
            "animations": [a.key for a in choices(spec)],
            "rates": list(spec.motion.rates),
            "video": spec.video,
        }

    def get_renditions(self, spec: Any) -> list[dict[str, Any]]:
        return [{"width": r.width, "height": r.height, "label": r.label} for r in spec.renditions]

    def get_aspect_ratio(self, spec: Any) -> str:
        """The closest of the aspect ratios image models accept ("1:1", "16:9", …)."""
        return closest_aspect_ratio(spec.master.width, spec.master.height)

    def get_safe_zone(self, spec: Any) -> dict[str, int] | None:
        zone = spec.safe_zone
        return (
            None if zone is None else {"x": zone.x, "y": zone.y, "width": zone.width, "height": zone.height}
        )

    def get_keep_clear(self, spec: Any) -> list[dict[str, int]]:
        return [{"x": r.x, "y": r.y, "width": r.width, "height": r.height} for r in spec.keep_clear]


def _download_url(rendition: Rendition) -> str:
    return reverse(
        "library:rendition_download", kwargs={"asset_id": rendition.asset_id, "label": rendition.label}
    )


class RenditionSerializer(serializers.ModelSerializer[Rendition]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Rendition
        fields = ("label", "width", "height", "format", "bytes", "download_url", "checks")

    def get_download_url(self, rendition: Rendition) -> str:
        request = self.context.get("request")
        url = _download_url(rendition)
        return request.build_absolute_uri(url) if request else url


class GeneratedAssetSerializer(serializers.ModelSerializer[Asset]):
    download_url = serializers.SerializerMethodField()
    renditions = RenditionSerializer(many=True, read_only=True)

    class Meta:
        model = Asset
        fields = (
            "id", "title", "spec_key", "platform", "asset_type", "width", "height", "format", "bytes",
            "download_url", "renditions", "checks", "created_at",
        )  # fmt: skip

    def get_download_url(self, asset: Asset) -> str | None:
        renditions = list(asset.renditions.all())
        if not renditions:
            return None
        return RenditionSerializer(renditions[0], context=self.context).data["download_url"]


class GenerationJobSerializer(serializers.ModelSerializer[GenerationJob]):
    assets = serializers.SerializerMethodField()
    notice = serializers.SerializerMethodField(
        help_text="While the job waits: what it waits for, in words (a free worker, a retry after a "
        "worker stopped or the image service was busy); empty otherwise."
    )
    platform = serializers.SerializerMethodField()
    asset_type = serializers.SerializerMethodField()
    refine = serializers.SerializerMethodField(
        help_text="For a refine: the asset refined, the instruction, the changes applied, the ones "
        "asked for that were already so (`already`, in sentences), any words the engine could not "
        "turn into a change, and the names of attached images deleted since (`left_out`: the new "
        "version is made without them); null otherwise."
    )

    prompt = serializers.SerializerMethodField(
        help_text="The creator's prompt; empty for a Quick Create template's job (`template`): a "
        "template's prompt stays on the server."
    )
    understood = serializers.SerializerMethodField(
        help_text="What the engine understood, one entry per asset the job makes, in order: `subjects` "
        "(art concepts, main first), `accessories` (concept and place), `expression`, `colours` (word "
        "and hex), `styles`, `layout` (settled), `number` (a top-N list's), `text`, and `unused` (the "
        "words it could not use). Empty for jobs made before jobs kept it, and for a Quick Create template's "
        "job (it would tell the template's prompt)."
    )

    class Meta:
        model = GenerationJob
        fields = (
            "id", "status", "stage", "progress", "notice", "error", "spec_key", "platform", "asset_type",
            "prompt", "text", "subtext", "template", "variants", "pack", "seed", "cost", "provider", "model",
            "queue", "created_at", "started_at", "finished_at", "assets", "refine", "understood",
        )  # fmt: skip

    def get_notice(self, job: GenerationJob) -> str:
        return job.waiting_notice

    def get_prompt(self, job: GenerationJob) -> str:
        return job.creator_prompt

    def get_understood(self, job: GenerationJob) -> list[dict[str, Any]]:
        if job.template:
            return []
        return [dict(item.reading) for item in job.item_list if item.reading]

    def get_refine(self, job: GenerationJob) -> dict[str, Any] | None:
        if job.refine_of is None:
            return None
        items = job.item_list
        item = items[0] if items else JobItem(spec=job.spec_key, prompt="", seed=job.seed)
        return {
            "asset": str(job.refine_of),
            "instruction": job.instruction,
            "applied": list(item.applied),
            "already": list(item.already),
            "not_understood": item.not_understood,
            "left_out": list(item.left_out),
        }

    def get_platform(self, job: GenerationJob) -> str:
        return job.spec_key.split(".", 1)[0]

    def get_asset_type(self, job: GenerationJob) -> str:
        return job.spec_key.split(".", 1)[-1]

    def get_assets(self, job: GenerationJob) -> list[dict[str, Any]]:
        assets = self.context.get("assets", {}).get(job.pk, [])
        return GeneratedAssetSerializer(assets, many=True, context=self.context).data  # type: ignore[return-value]  # a ReturnList of dicts


SUMMARY_TITLE_CHARS = 60


class GenerationJobSummarySerializer(serializers.ModelSerializer[GenerationJob]):
    """A job in the list: what it is, how far along, what it cost and where to read the rest.
    Its assets, files and checks are in the job itself (``url``)."""

    url = serializers.SerializerMethodField(help_text="The job with its assets, files and checks.")
    title = serializers.SerializerMethodField(
        help_text=f"The words on the asset, else the prompt (a Quick Create template's name: its prompt "
        f"stays on the server), cut to {SUMMARY_TITLE_CHARS} characters."
    )
    asset_count = serializers.IntegerField(
        read_only=True, help_text="The job's assets in the library (0 until it stores the first)."
    )
    thumbnail_url = serializers.SerializerMethodField(
        help_text="A small WebP (at most 480 px on its longer side, moving for a moving asset) of "
        "the first asset's file at least 128 px wide (else its largest), to show inline and cache "
        "for good; null until the job stores an asset."
    )
    notice = serializers.SerializerMethodField(
        help_text="While the job waits: what it waits for, in words (a free worker, a retry after a "
        "worker stopped or the image service was busy); empty otherwise."
    )

    class Meta:
        model = GenerationJob
        fields = (
            "id", "url", "status", "stage", "progress", "notice", "error", "spec_key", "title", "pack",
            "variants", "cost", "asset_count", "thumbnail_url", "created_at", "finished_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_notice(self, job: GenerationJob) -> str:
        return job.waiting_notice

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, job: GenerationJob) -> str:
        return self._absolute(reverse("api-generation", args=[job.pk]))

    def get_title(self, job: GenerationJob) -> str:
        words = " ".join((job.text or job.creator_prompt or job.template_name).split())
        if len(words) <= SUMMARY_TITLE_CHARS:
            return words
        return words[: SUMMARY_TITLE_CHARS - 1].rstrip() + "…"

    def get_thumbnail_url(self, job: GenerationJob) -> str | None:
        thumbnail = self.context.get("thumbnails", {}).get(job.pk)
        if thumbnail is None:
            return None
        asset_id, label = thumbnail
        return self._absolute(thumbnail_urls(asset_id, label)[0])


class GenerationCreateSerializer(serializers.Serializer[Any]):
    platform = serializers.CharField(max_length=30)
    asset_type = serializers.CharField(max_length=40)
    prompt = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")
    text = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    negative_prompt = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    brand_kit = serializers.IntegerField(required=False, allow_null=True)
    variants = serializers.IntegerField(min_value=1, max_value=MAX_VARIANTS, required=False, default=1)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, allow_null=True)
    pack = serializers.ChoiceField(choices=GenerationJob.Pack.choices, required=False, default="")
    pack_items = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list, max_length=8
    )
    media = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=2,
        help_text=MEDIA_FIELD_HELP,
    )
    layout = serializers.ChoiceField(
        choices=[
            ("", "let the words decide"),
            *((name, LAYOUT_LABELS.get(name, name)) for name in LAYOUT_NAMES),
        ],
        required=False,
        allow_blank=True,
        default="",
        help_text="Where the art and the words go, over what the words say. The asset type's family "
        "decides which: "
        + "; ".join(f"{family}: {', '.join(names)}" for family, names in LAYOUTS.items())
        + ". Other families have one layout of their own. Empty: a layout the words name, else one "
        "picked per asset.",
    )
    style = serializers.ChoiceField(  # type: ignore[assignment]  # a field named like Field.style
        choices=[("", "let the words decide"), *((key, key) for key in STYLE_WORDS)],
        required=False,
        allow_blank=True,
        default="",
        help_text="How the art is finished, over what the words say. Empty: a style the words name, "
        "else the brand kit's.",
    )
    colours = serializers.ListField(
        child=serializers.CharField(max_length=7),
        required=False,
        default=list,
        max_length=6,
        help_text="Up to six hex codes (#8E24AA), main first, over the colours the words name.",
    )
    animation = serializers.ChoiceField(
        choices=[("", "the asset type's default"), *((a.key, a.label) for a in ANIMATIONS.values())],
        required=False,
        allow_blank=True,
        default="",
        help_text="Animated asset types (Pro and Studio) only: how it moves. Overlays take rainbow, "
        "sparkle, slide_in, typewriter and confetti (their holes stay put). Every file is checked for "
        "flashing (WCAG 2.3.1) and slowed if it would flash more than 3 times a second.",
    )
    speed = serializers.ChoiceField(
        choices=[("", "normal"), *((key, key) for key in SPEEDS)],
        required=False,
        allow_blank=True,
        default="",
    )
    loops = serializers.IntegerField(
        min_value=0, max_value=MAX_LOOPS, required=False, default=0, help_text="0: loops forever."
    )
    fps = serializers.IntegerField(
        min_value=0,
        max_value=60,
        required=False,
        default=0,
        help_text="Frames a second; 0: the type's own. Alerts and overlays also take 60 (their GIF "
        "keeps every other frame).",
    )


class TemplateFieldSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    default = serializers.CharField()
    placeholder = serializers.CharField()
    help = serializers.CharField()
    max_length = serializers.IntegerField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like Field.required


class VibeSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class QuickTemplateSerializer(serializers.Serializer[Any]):
    """A Quick Create template as creators see it (its prompt text stays on the server)."""

    key = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    platform = serializers.SerializerMethodField()
    asset_type = serializers.SerializerMethodField()
    pack = serializers.CharField(help_text="empty, emote_pack, badge_set or panel_set")
    assets = serializers.SerializerMethodField(help_text="How many assets (and generations) it makes.")
    vibes = VibeSerializer(many=True)
    fields = TemplateFieldSerializer(many=True)  # type: ignore[assignment]  # named like Serializer.fields
    preview_url = serializers.SerializerMethodField()

    def get_platform(self, template: Any) -> str:
        return str(template.spec_key.split(".", 1)[0])

    def get_asset_type(self, template: Any) -> str:
        return str(template.spec_key.split(".", 1)[1])

    def get_assets(self, template: Any) -> int:
        return int(template.asset_count)

    def get_preview_url(self, template: Any) -> str:
        url = reverse("api-template-preview", args=[template.key])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class TemplateGenerateSerializer(serializers.Serializer[Any]):
    vibe = serializers.CharField(required=False, allow_blank=True, help_text="A vibe key; empty: the first.")
    fields = serializers.DictField(  # type: ignore[assignment]  # named like Serializer.fields
        child=serializers.CharField(allow_blank=True, max_length=200),
        required=False,
        help_text="Field key → value; a missing field takes its default.",
    )
    brand_kit = serializers.IntegerField(required=False, allow_null=True)
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)
    media = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=2, help_text=MEDIA_FIELD_HELP
    )


class RefineRequestSerializer(serializers.Serializer[Any]):
    instruction = serializers.CharField(
        max_length=300,
        help_text='What to change, in words: "brighter", "bigger text", "swap to accent colour"…',
    )


class AnimateRequestSerializer(serializers.Serializer[Any]):
    platform = serializers.CharField(max_length=30, help_text='The animated type\'s platform: "twitch".')
    asset_type = serializers.CharField(max_length=40, help_text='An animated asset type: "animated_emote".')
    animation = serializers.ChoiceField(
        choices=[(a.key, a.label) for a in ANIMATIONS.values()], default="bounce"
    )
    speed = serializers.ChoiceField(choices=[(key, key) for key in SPEEDS], default="normal")
    loops = serializers.IntegerField(
        min_value=0, max_value=MAX_LOOPS, default=0, help_text="0: loops forever."
    )
    fps = serializers.IntegerField(min_value=0, max_value=60, default=0, help_text="0: the type's own rate.")
