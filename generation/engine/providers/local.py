"""The local image provider: offline, keyless, deterministic art from the brand and the prompt.

It reads the prompt's words through a small lexicon (subjects such as fire, cat, trophy; moods
such as cozy, hype, neon, retro; weather such as rain, snow, night) and draws text-free art in
the brand's palette: a bold subject mark for emotes, badges, icons and avatars, and layered
backgrounds with the subject where the layout leaves it room for everything else. The same
request always gives the same bytes: all randomness comes from generators seeded by the
request, never from global state or the clock.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from platforms.types import PlatformSpec

from .. import layout, reading
from ..colors import darken, hex_to_rgb
from ..geometry import bottom, right
from ..memo import PixelCache
from ..paint import content_box
from ..types import ArtRequest, ArtResult
from . import backgrounds as bg
from . import decor, moods
from .direction import direct, seed_bytes
from .mark_render import render_mark
from .subjects import SubjectPlan, draw_subject


def _area(image: Image.Image) -> int:
    return image.width * image.height


_BURSTS: PixelCache[Image.Image] = PixelCache("bursts", max_entries=16, max_pixels=1_500_000)
# Chat subjects fitted to their box: a tier set or a re-render draws the same group again.
_GROUPS: PixelCache[Image.Image] = PixelCache("subject groups", max_entries=32, max_pixels=2_000_000)


@dataclass(frozen=True)
class GroupPlan:
    """The random choices behind a subject group, so it can be drawn at several sizes."""

    spin: float | None  # the hype burst's rotation; None: no burst
    rotation: float  # the main subject's tilt, degrees


def faded(image: Image.Image, share: float) -> Image.Image:
    """``image`` with its opacity multiplied by ``share`` (a pattern's faint repeats)."""
    out = image.copy()
    out.putalpha(image.getchannel("A").point(lambda v: round(v * share)))
    return out


class LocalArtProvider:
    """Art without any AI service: the embedded default, and a real feature for self-hosting."""

    name = "local"
    model = "aurastream-local-1"

    def paint(self, request: ArtRequest) -> Image.Image:
        """The art as an image, for in-process callers (the engine skips the PNG round trip)."""
        return LocalArtist(request).paint()

    def generate(self, request: ArtRequest) -> ArtResult:
        image = self.paint(request)
        buffer = io.BytesIO()
        # The engine decodes this straight away: favour speed over size.
        image.save(buffer, format="PNG", compress_level=1)
        return ArtResult(
            image_png=buffer.getvalue(), provider=self.name, model=self.model, has_text_free_subject=True
        )


class LocalArtist:
    def __init__(self, request: ArtRequest) -> None:
        self.request = request
        self.spec: PlatformSpec = request.spec
        self.width, self.height = request.width, request.height
        digest = seed_bytes(request)
        self.direction = direct(request, digest)
        self.rng = random.Random(digest)  # noqa: S311 - art variation, not security
        self._np_seed = int.from_bytes(digest[:8], "big")
        self._np_rng: np.random.Generator | None = None
        self.scale = self.width / self.spec.master.width
        palette = self.direction.palette
        self.primary = hex_to_rgb(palette.primary)
        self.secondary = hex_to_rgb(palette.secondary)
        self.accent = hex_to_rgb(palette.accent)
        self.background = hex_to_rgb(palette.background)
        self.text = hex_to_rgb(palette.text)
        self.plan = layout.text_plan(self.spec, request.brief, request.brand)
        # The composition, settled by the engine before the art is asked for (else the default).
        self.frame = (
            layout.frame(self.spec, request.brief.layout, request.brief.variant)
            if self.spec.family in layout.FRAMED_FAMILIES
            else None
        )

    @property
    def np_rng(self) -> np.random.Generator:
        """The seeded numpy generator (grain), made on first use: chat art never needs it."""
        if self._np_rng is None:
            self._np_rng = np.random.default_rng(self._np_seed)
        return self._np_rng

    # --- entry point -------------------------------------------------------------------

    def paint(self) -> Image.Image:
        family = self.spec.family
        if family in ("emote", "badge", "icon"):
            return self.subject_only(self.width, self.height)
        if family == "avatar":
            return self.avatar()
        if family == "overlay":
            return self.overlay()
        return self.scene()

    # --- subjects ----------------------------------------------------------------------

    def mark(
        self, name: str, size: int, *, rotation: float | None = None, nominal: int | None = None
    ) -> Image.Image:
        """A mark ``size`` px square. Outline weight and supersampling follow ``nominal``, the
        size the layout gives it (it may be drawn a little smaller or larger to fit a box)."""
        d = self.direction
        if rotation is None:
            rotation = self.rng.uniform(-9, 9) if d.mark_style != "pixel" else 0.0
        nominal = size if nominal is None else nominal
        outline = 0.06 if nominal < 400 else 0.045
        return render_mark(
            name,
            max(8, size),
            d.colors,
            self.rng,
            style=d.mark_style,
            rotation=rotation,
            outline=outline,
            supersample=self.supersample(nominal),
        )

    def supersample(self, size: int) -> float:
        """How much larger to draw for smooth edges. When the engine already composes at twice
        the file size, that is enough; big marks need less to look smooth."""
        if self.scale >= 2:
            return 1.0
        return 2.0 if size < 320 else 1.5

    def group_plan(self) -> GroupPlan:
        """The random choices of a subject group, drawn once (burst spin, then the tilt)."""
        d = self.direction
        spin = self.rng.uniform(0, 30) if d.mood == "hype" else None
        rotation = self.rng.uniform(-9, 9) if d.mark_style != "pixel" else 0.0
        return GroupPlan(spin=spin, rotation=rotation)

    def subject_group(self, size: int) -> Image.Image:
        """The main subject, with a second named subject as an accessory and a hype burst."""
        return self.draw_group(self.group_plan(), size, size)

    def draw_group(self, plan: GroupPlan, size: int, nominal: int) -> Image.Image:
        """A subject group ``size`` px square, laid out (and weighted) as at ``nominal`` px."""
        d = self.direction
        canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        if plan.spin is not None:
            canvas.alpha_composite(self.burst(size, plan.spin, nominal))
        if d.subject is not None:
            share = 0.9 if plan.spin is not None else 1.0
            inner = round(size * share)
            offset = (size - inner) // 2
            subject = draw_subject(d.subject, inner)
            if plan.rotation:
                # The seed's tilt: another seed, another take on the same subject.
                subject = subject.rotate(plan.rotation * 0.6, resample=Image.Resampling.BICUBIC)
            canvas.alpha_composite(subject, (offset, offset))
        elif len(d.subjects) > 1:
            main = self.mark(
                d.subjects[0], round(size * 0.84), rotation=plan.rotation, nominal=round(nominal * 0.84)
            )
            canvas.alpha_composite(main, (0, size - main.height))
            extra = self.mark(d.subjects[1], round(size * 0.46), rotation=12.0, nominal=round(nominal * 0.46))
            canvas.alpha_composite(extra, (size - extra.width, 0))
        else:
            share = 0.9 if plan.spin is not None else 1.0
            inner = round(size * share)
            main = self.mark(d.subjects[0], inner, rotation=plan.rotation, nominal=round(nominal * share))
            offset = (size - inner) // 2
            canvas.alpha_composite(main, (offset, offset))
        return canvas

    def other_subject(self, size: int) -> Image.Image:
        """What a layout's second slot shows: the second subject named, else (a reaction's
        circled detail) the first accessory or an exclamation, else the first again, facing it."""
        d = self.direction
        if d.subject is None:
            return self.mark(d.subjects[-1], size)
        concept = ""
        if d.second:
            concept = reading.art_concept(reading.Reading(subjects=(d.second,)), self.spec.family)
        elif self.frame is not None and self.frame.name == "reaction":
            extras = [a.concept for a in d.subject.accessories]
            concept = extras[0] if extras else "red-exclamation-mark"
        if concept:
            return draw_subject(
                SubjectPlan(concept=concept, style=d.subject.style, outline=d.colors.dark), size
            )
        return ImageOps.mirror(draw_subject(d.subject, size))

    def burst(self, size: int, spin: float, nominal: int) -> Image.Image:
        """A comic 'impact' burst behind the subject (shared, read-only)."""
        big = max(size, round(size * self.supersample(nominal)))
        return _BURSTS.get(
            (size, big, spin, self.direction.colors.dark, self.secondary),
            lambda: bg.draw_burst(size, big, spin, self.direction.colors.dark, self.secondary),
            lambda image: image.width * image.height,
        )

    def trimmed_group(self, plan: GroupPlan, nominal: int, box_w: int, box_h: int) -> Image.Image:
        """The fitted subject group cropped to its visible pixels."""
        group, box = self.fitted_group(plan, nominal, box_w, box_h)
        if box is not None and box != (0, 0, group.width, group.height):
            group = group.crop(box)
        return group

    def fitted_group(
        self, plan: GroupPlan, nominal: int, box_w: int, box_h: int
    ) -> tuple[Image.Image, tuple[int, int, int, int] | None]:
        """The subject group drawn at the size whose visible part fills a box_w×box_h box, and
        that visible part's bounding box.

        The compositor trims chat art to its visible pixels and fits that into its subject box;
        drawn to fill the box (within FIT_SLACK px), it is placed as drawn, never resampled.
        A few sizes are tried, each from the last one's measured fill.
        """
        size = max(8, min(box_w, box_h))
        best: tuple[Image.Image, tuple[int, int, int, int]] | None = None
        tried: set[int] = set()
        group = self.draw_group(plan, size, nominal)
        box = content_box(group)
        for _ in range(6):
            tried.add(size)
            if box is None:
                return group, None
            tw, th = box[2] - box[0], box[3] - box[1]
            factor = min(box_w / tw, box_h / th)
            if tw <= box_w and th <= box_h:
                best = group, box
                if box_w - tw <= layout.FIT_SLACK or box_h - th <= layout.FIT_SLACK:
                    return best
                following = int(size * factor)
            else:
                following = min(int(size * factor), size - 1)
            if following in tried or following < 8:
                break
            size = following
            group = self.draw_group(plan, size, nominal)
            box = content_box(group)
        return best if best is not None else (group, box)

    def subject_only(self, width: int, height: int) -> Image.Image:
        """Chat art: the subject group, drawn to fill the compositor's subject box, centred on a
        transparent canvas."""
        nominal = min(width, height)
        box_w, box_h = layout.chat_subject_size(self.spec, self.plan, width)
        plan = self.group_plan()
        d = self.direction
        key: tuple[object, ...] = (d.subjects, d.subject, d.mood, d.colors, d.mark_style, self.secondary)
        key += (self.scale, plan, nominal, box_w, box_h)
        group = _GROUPS.get(key, lambda: self.trimmed_group(plan, nominal, box_w, box_h), _area)
        if group.width > width or group.height > height:  # pragma: no cover - boxes fit the canvas
            group = group.crop((0, 0, min(width, group.width), min(height, group.height)))
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        # The group was composed on transparent black, so a plain paste is the same as
        # compositing it onto the empty canvas.
        canvas.paste(group, ((width - group.width) // 2, (height - group.height) // 2))
        return canvas

    def place_subjects(self, image: Image.Image, *, glow: bool = True) -> None:
        """Paste the subject(s) into their layout slots, each over a soft pool of light; a
        pattern's small repeats go on without light, faint, under everything else."""
        slots = layout.subject_slots(
            self.spec, self.plan, self.request.brief.layout, self.request.brief.variant
        )
        roles = self.frame.roles if self.frame is not None else ("main", "second") * len(slots)
        tiles: dict[tuple[int, int], Image.Image] = {}  # (size, tilt) -> a pattern's repeat
        for index, (slot, role) in enumerate(zip(slots, roles, strict=False)):
            s = slot.scaled(self.scale)
            size = round(s.size)
            if size < 8:
                continue
            if role == "pattern":
                tilt = (-14, 10, -6, 16)[index % 4]
                if (size, tilt) not in tiles:
                    upright = tiles.get((size, 0)) or faded(self.subject_group(size), 0.55)
                    tiles[(size, 0)] = upright
                    tiles[(size, tilt)] = upright.rotate(tilt, resample=Image.Resampling.BICUBIC)
                tile = tiles[(size, tilt)]
                image.paste(tile, (round(s.cx - size / 2), round(s.cy - size / 2)), tile)
                continue
            if glow:
                bg.glow_patch(
                    image,
                    s.cx,
                    s.cy,
                    s.size * 0.62,
                    self.accent if index % 2 == 0 else self.secondary,
                    alpha=120 if role != "before" else 50,
                )
            group = self.slot_art(role, size)
            if role == "main" and index > 0:
                group = ImageOps.mirror(group)  # the same subject again, facing the first
            image.paste(group, (round(s.cx - size / 2), round(s.cy - size / 2)), group)

    def slot_art(self, role: str, size: int) -> Image.Image:
        """What a slot shows: the main subject, a second one, or the main one dulled ("before")."""
        if role == "second":
            return self.other_subject(size)
        group = self.subject_group(size)
        if role == "before":
            rgb = ImageOps.grayscale(group.convert("RGB")).convert("RGB").point(lambda v: round(v * 0.75))
            rgb.putalpha(group.getchannel("A"))
            return rgb
        return group

    # --- full canvases -----------------------------------------------------------------

    def canvas(
        self,
        width: int,
        height: int,
        focus: tuple[float, float],
        *,
        soft_extra: Callable[[Image.Image], None] | None = None,
    ) -> Image.Image:
        """The background in the direction's mood (see ``moods``), drawn with the artist's rng."""
        return moods.paint_background(self.direction, self.rng, width, height, focus, soft_extra=soft_extra)

    def focus(self) -> tuple[float, float]:
        slots = layout.subject_slots(
            self.spec, self.plan, self.request.brief.layout, self.request.brief.variant
        )
        if not slots:
            return (self.width / 2, self.height / 2)
        s = slots[0].scaled(self.scale)
        return (s.cx, s.cy)

    def finish(self, image: Image.Image, grain: float) -> Image.Image:
        return moods.finish(image, self.direction.mood, self.np_rng, grain)

    def scene(self) -> Image.Image:
        """Thumbnails, banners, scenes, covers and panels: background, the composition's own
        shapes, the subject(s)."""
        w, h = self.width, self.height
        image = self.canvas(w, h, self.focus())
        family = self.spec.family
        frame = self.frame or layout.frame(self.spec, "")
        colours = decor.Colours.for_mood(
            self.direction.mood,
            self.primary,
            self.secondary,
            self.accent,
            self.background,
            self.direction.colors.dark,
        )
        spin = self.rng.uniform(0, 30)
        decor.under(image, frame, family, colours, self.scale, spin)
        self.place_subjects(image, glow=family != "panel")
        decor.over(image, frame, family, colours, self.scale, spin)
        return self.finish(image, 0.0 if family == "panel" else 1.6)

    def avatar(self) -> Image.Image:
        w, h = self.width, self.height
        image = self.canvas(w, h, (w / 2, h / 2))
        inset = round(w * 0.03)
        ImageDraw.Draw(image, "RGBA").ellipse(
            (inset, inset, w - inset, h - inset), outline=(*self.accent, 200), width=max(2, round(w * 0.025))
        )
        self.place_subjects(image)
        return self.finish(image, 1.2)

    def overlay(self) -> Image.Image:
        """A framed gameplay overlay: art around transparent holes, glowing frames on their edges."""
        w, h = self.width, self.height
        sc = self.scale
        bar = layout.safe_rect(self.spec)
        radius = round(18 * sc)
        accent_w = max(2, round(8 * sc))
        frames = []
        for hole in self.spec.transparent_areas:
            gap = accent_w
            frames.append(
                (
                    hole.x * sc - gap - accent_w,
                    hole.y * sc - gap - accent_w,
                    right(hole) * sc + gap + accent_w,
                    bottom(hole) * sc + gap + accent_w,
                )
            )

        def frame_glow(small: Image.Image) -> None:
            f = w / small.width
            mask = Image.new("L", small.size, 0)
            md = ImageDraw.Draw(mask)
            for x0, y0, x1, y1 in frames:
                md.rounded_rectangle(
                    (x0 / f, y0 / f, x1 / f, y1 / f),
                    radius=radius / f,
                    outline=200,
                    width=max(1, round(accent_w * 1.5 / f)),
                )
            layer = Image.new("RGBA", small.size, (*self.accent, 0))
            layer.putalpha(mask.filter(ImageFilter.GaussianBlur(3)))
            small.paste(layer, (0, 0), layer)

        image = self.canvas(w, h, (w * 0.8, h * 0.85), soft_extra=frame_glow)
        draw = ImageDraw.Draw(image, "RGBA")
        plate = (round(bar.x * sc), round(bar.y * sc), round(right(bar) * sc), round(bottom(bar) * sc))
        draw.rounded_rectangle(
            plate,
            radius=radius,
            fill=(*darken(self.background, 0.2), 170),
            outline=(*self.primary, 255),
            width=max(2, round(4 * sc)),
        )
        for x0, y0, x1, y1 in frames:
            draw.rounded_rectangle(
                (x0, y0, x1, y1), radius=radius, outline=(*self.primary, 255), width=accent_w
            )
            arm = min(x1 - x0, y1 - y0) * 0.16
            for cx, cy, dx, dy in ((x0, y0, 1, 1), (x1, y0, -1, 1), (x0, y1, 1, -1), (x1, y1, -1, -1)):
                draw.line(
                    [(cx, cy + dy * arm), (cx, cy), (cx + dx * arm, cy)],
                    fill=(*self.accent, 255),
                    width=accent_w,
                    joint="curve",
                )
        self.place_subjects(image, glow=False)
        image = self.finish(image, 1.2)
        alpha = Image.new("L", (w, h), 255)
        cut = ImageDraw.Draw(alpha)
        for hole in self.spec.transparent_areas:
            cut.rectangle(
                (
                    math.floor(hole.x * sc),
                    math.floor(hole.y * sc),
                    math.ceil(right(hole) * sc) - 1,
                    math.ceil(bottom(hole) * sc) - 1,
                ),
                fill=0,
            )
        image.putalpha(alpha)
        return image
