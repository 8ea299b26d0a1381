"""The local image provider: offline, keyless, deterministic art from the brand and the prompt.

It reads the prompt's words through a small lexicon (subjects such as fire, cat, trophy; moods
such as cozy, hype, neon, retro; weather such as rain, snow, night) and draws text-free art in
the brand's palette: a bold subject mark for emotes, badges, icons and avatars, and layered
backgrounds with the subject where the layout leaves it room for everything else. The same
request always gives the same bytes: all randomness comes from generators seeded by the
request, never from global state or the clock.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from platforms.types import PlatformSpec

from .. import layout, reading
from ..colors import chat_contrast, darken, hex_to_rgb, lighten, luminance, mix, rgb_to_hex
from ..geometry import bottom, right
from ..memo import PixelCache
from ..paint import content_box
from ..types import ArtRequest, ArtResult, Palette
from . import backgrounds as bg
from . import decor
from .marks import DEFAULT_SUBJECTS, MarkColors, pick_subjects, render_mark, words
from .subjects import SubjectPlan, draw_subject

MOODS = reading.MOODS
WEATHER = reading.WEATHER


@dataclass(frozen=True)
class Direction:
    """What the local provider decided to draw for a request."""

    subjects: tuple[str, ...]
    mood: str  # clean | cozy | hype | neon | retro | pastel | grunge | minimal | comic
    weather: str  # "" | rain | snow | night
    colors: MarkColors
    mark_style: str  # bold | soft | neon | pixel
    palette: Palette  # the brand's, with the colours the words name in the art's roles
    subject: SubjectPlan | None = None  # art from the vocabulary; None: the hand-drawn marks
    second: str = ""  # a second subject's concept (versus, banners' other side)


# Style words -> the background mood and the subject's finish.
STYLE_MOODS = {
    "neon": "neon",
    "cozy": "cozy",
    "retro": "retro",
    "pixel": "retro",
    "pastel": "pastel",
    "grunge": "grunge",
    "minimal": "minimal",
    "comic": "comic",
}
STYLE_FINISH = {
    "neon": "neon",
    "cozy": "soft",
    "retro": "pixel",
    "pixel": "pixel",
    "pastel": "pastel",
    "grunge": "grunge",
    "minimal": "minimal",
    "comic": "comic",
}


def art_palette(palette: Palette, colours: tuple[str, ...]) -> Palette:
    """The palette the art is painted in: the colours the creator named take the art's roles
    (first: primary, second: secondary and accent); the kit supplies the rest."""
    if not colours:
        return palette
    first = colours[0]
    second = colours[1] if len(colours) > 1 else rgb_to_hex(lighten(hex_to_rgb(first), 0.35))
    third = colours[2] if len(colours) > 2 else second
    return Palette(
        primary=first,
        secondary=second,
        accent=third,
        background=palette.background,
        text=palette.text,
        extras=palette.extras,
    )


def _seed_bytes(request: ArtRequest) -> bytes:
    brief = request.brief
    identity = "|".join(
        (
            str(request.seed),
            request.spec.key,
            brief.prompt,
            brief.base,
            brief.text,
            brief.subtext,
            str(brief.tier),
            str(request.width),
            str(request.height),
        )
    )
    return hashlib.sha256(identity.encode()).digest()


@functools.lru_cache(maxsize=64)
def mark_colors(palette: Palette, *, for_chat: bool) -> MarkColors:
    """Assign the brand colours to a mark's roles (body, parts, accents, light, outline)."""
    primary, secondary, accent = (
        hex_to_rgb(palette.primary),
        hex_to_rgb(palette.secondary),
        hex_to_rgb(palette.accent),
    )
    background, text = hex_to_rgb(palette.background), hex_to_rgb(palette.text)
    extras = [hex_to_rgb(value) for value in palette.extras]
    everything = [primary, secondary, accent, background, text, *extras]
    light = max(everything, key=luminance)
    if luminance(light) < 0.5:
        light = lighten(light, 0.75)
    dark = min(everything, key=luminance)
    if luminance(dark) > 0.03:
        dark = darken(dark, 0.8)
    main, second = primary, secondary
    if for_chat:
        # On chat a body colour must stand out on both light and dark themes; keep the
        # primary unless another brand colour reads far better.
        best = max((primary, secondary, accent), key=chat_contrast)
        if chat_contrast(primary) < 1.8 and chat_contrast(best) > chat_contrast(primary) * 1.4:
            main = best
            second = primary if best != primary else secondary
    return MarkColors(main=main, second=second, accent=accent, light=light, dark=dark)


def read_request(request: ArtRequest) -> reading.Reading:
    """The request's words as the engine reads them (the brand's "avoid" list applied, the
    brief's own layout, style and colours over the words)."""
    return layout.understood(request.spec, request.brief, request.brand, request.seed)


def direct(request: ArtRequest, digest: bytes | None = None) -> Direction:
    """Read the prompt and the brand into a plan for the art (``digest``: the request's seed
    bytes, when the caller has them already)."""
    brief, brand = request.brief, request.brand
    family = request.spec.family
    avoid = set(words(" ".join(brand.avoid) + " " + brief.negative_prompt))
    understood = read_request(request)
    brand_text = " ".join((brand.mood, brand.art_style, " ".join(brand.keywords)))
    brand_tokens = [t for t in words(brand_text) if t not in avoid]
    palette = art_palette(brand.palette, understood.hexes)
    chat = family in ("emote", "badge", "icon")
    colors = mark_colors(palette, for_chat=chat)

    styles = understood.styles or reading.read(brand_text, family=family).styles
    style = styles[0] if styles else ""
    # The words' style, else their mood ("ranked grind" is hype), else the kit's.
    mood = STYLE_MOODS.get(style, "") or understood.mood or reading.first_of(brand_tokens, MOODS) or "clean"
    weather = understood.weather or reading.first_of(brand_tokens, WEATHER)
    mark_style = {"cozy": "soft", "neon": "neon", "retro": "pixel"}.get(mood, "bold")

    concept = reading.art_concept(understood, family)
    if not concept and not understood.text.strip() and brand.keywords:
        # Nothing drawable asked for: the kit's own themes may name a subject.
        concept = reading.art_concept(reading.read(" ".join(brand.keywords), family=family), family)
    if concept:
        plan = SubjectPlan(
            concept=concept,
            accessories=reading.effects(understood, concept),
            # The colour named, else the kit's: art in the creator's brand either way.
            colour=understood.hexes[0] if understood.hexes else rgb_to_hex(colors.main),
            accent=understood.hexes[1] if len(understood.hexes) > 1 else None,
            style=STYLE_FINISH.get(style, mark_style if mark_style != "pixel" else "pixel"),
            outline=colors.dark,
            edge=colors.accent,
        )
        second = understood.subjects[1] if len(understood.subjects) > 1 else ""
        return Direction(
            subjects=(concept,),
            mood=mood,
            weather=weather,
            colors=colors,
            mark_style=mark_style,
            palette=palette,
            subject=plan,
            second=second,
        )

    prompt_tokens = [t for t in words(brief.prompt + " " + brief.text) if t not in avoid]
    subjects = [s for s in pick_subjects(" ".join(prompt_tokens), " ".join(brand_tokens)) if s not in avoid]
    if not subjects:
        seed = digest if digest is not None else _seed_bytes(request)
        rng = random.Random(seed)  # noqa: S311 - art variation, not security
        choices = [s for s in DEFAULT_SUBJECTS if s not in avoid] or list(DEFAULT_SUBJECTS)
        subjects = [choices[rng.randrange(len(choices))]]
    return Direction(
        subjects=tuple(subjects[:2]),
        mood=mood,
        weather=weather,
        colors=colors,
        mark_style=mark_style,
        palette=palette,
    )


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
        digest = _seed_bytes(request)
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
        """The background as RGB: soft layers at a quarter size, crisp patterns at full size."""
        d = self.direction
        bgc, p, s, a = self.background, self.primary, self.secondary, self.accent
        light_theme = luminance(bgc) > 0.45
        angle = self.rng.uniform(20, 160)
        f = bg.SOFT
        sw, sh = max(1, width // f), max(1, height // f)
        fx, fy = focus[0] / f, focus[1] / f
        reach = max(sw, sh)
        if d.mood == "cozy":
            warm = lighten(s, 0.2)
            stops = [mix(bgc, warm, 0.25), mix(bgc, p, 0.28), mix(bgc, s, 0.3)]
            glows = [bg.Glow(fx, fy, reach * 0.45, lighten(warm, 0.35), 0.35)]
            vignette = 0.25
        elif d.mood == "neon":
            dark = darken(bgc, 0.35) if not light_theme else darken(p, 0.85)
            stops = [dark, mix(dark, p, 0.22), dark]
            glows = [bg.Glow(fx, fy, reach * 0.35, mix(dark, s, 0.6), 0.5)]
            vignette = 0.5
        elif d.mood == "hype":
            stops = [mix(bgc, p, 0.15), mix(bgc, s, 0.35), mix(bgc, p, 0.5)]
            glows = [bg.Glow(fx, fy, reach * 0.4, mix(p, a, 0.3), 0.55)]
            vignette = 0.45
        elif d.mood == "pastel":
            # Light, milky tints of the colours, no vignette: soft and airy.
            stops = [lighten(p, 0.72), lighten(s, 0.78), lighten(a, 0.75)]
            glows = [bg.Glow(fx, fy, reach * 0.5, lighten(p, 0.9), 0.5)]
            vignette = 0.0
        elif d.mood == "grunge":
            # Dark, dirty, desaturated: the colours as stains on near-black.
            base = darken(bgc, 0.5)
            stops = [base, mix(base, darken(p, 0.5), 0.45), mix(base, darken(s, 0.55), 0.4)]
            glows = [bg.Glow(fx, fy, reach * 0.3, darken(p, 0.3), 0.35)]
            vignette = 0.7
        elif d.mood == "minimal":
            # One flat colour and one quiet shape.
            stops = [bgc, bgc, mix(bgc, p, 0.08)]
            glows = []
            vignette = 0.0
        elif d.mood == "comic":
            stops = [lighten(p, 0.15), p, darken(p, 0.15)]
            glows = [bg.Glow(fx, fy, reach * 0.35, lighten(s, 0.3), 0.6)]
            vignette = 0.0
        else:
            stops = [bgc, mix(bgc, p, 0.32), mix(bgc, s, 0.22)]
            glows = [bg.Glow(fx, fy, reach * 0.42, mix(bgc, p, 0.7), 0.45)]
            vignette = 0.35
        small = bg.gradient(sw, sh, stops, angle=angle, glows=glows, vignette=vignette, step=2)
        horizon = 0.62
        if d.mood == "cozy":
            bg.paint_bokeh(small, [lighten(s, 0.3), lighten(a, 0.3), lighten(p, 0.5)], self.rng)
        elif d.mood == "neon":
            bg.paint_line_glow(small, bg.grid_lines(sw, sh, horizon), a, width=max(1.0, sh / 180))
        elif d.mood == "hype":
            bg.paint_rays(small, fx, fy, lighten(s, 0.2), count=16, alpha=70, spin=angle)
        elif d.mood == "pastel":
            bg.paint_bokeh(
                small, [lighten(s, 0.85), lighten(a, 0.85), (255, 255, 255)], self.rng, max_alpha=120
            )
        elif d.mood == "comic":
            bg.paint_rays(small, fx, fy, s, count=12, alpha=150, spin=angle)
        elif d.mood == "clean":
            bg.paint_shapes(small, [p, s, a], self.rng, count=5, alpha=34)
        if soft_extra is not None:
            soft_extra(small)
        image = small.resize((width, height), Image.Resampling.BILINEAR)

        draw = ImageDraw.Draw(image, "RGBA")
        if d.mood == "neon":
            bg.draw_sun(image, width / 2, height * 0.5, min(width, height) * 0.24, lighten(s, 0.3), p)
            bg.draw_lines(
                draw,
                bg.grid_lines(width, height, horizon),
                lighten(a, 0.2),
                width=max(1, round(height / 400)),
            )
        elif d.mood == "retro":
            bg.draw_halftone(draw, width, height, a, corner="bl", alpha=60)
        elif d.mood == "comic":
            bg.draw_halftone(draw, width, height, darken(p, 0.45), corner="tl", alpha=150)
            bg.draw_halftone(draw, width, height, darken(p, 0.45), corner="br", alpha=150)
        elif d.mood == "grunge":
            bg.draw_scratches(
                draw, width, height, [lighten(p, 0.3), (230, 230, 230), darken(s, 0.2)], self.rng
            )
        elif d.mood == "minimal":
            r = min(width, height) * 0.42
            cx, cy = focus
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*mix(bgc, p, 0.35), 255))
        elif d.mood == "clean":
            bg.draw_halftone(
                draw, width, height, lighten(p, 0.4), corner=self.rng.choice(["tl", "br"]), alpha=36
            )
        if d.weather == "rain":
            bg.draw_rain(draw, width, height, lighten(a, 0.5), self.rng)
        elif d.weather == "snow":
            bg.draw_snow(draw, width, height, (255, 255, 255), self.rng)
        elif d.weather == "night" or d.mood == "neon":
            bg.draw_sparkles(draw, width, height, [(255, 255, 255), lighten(a, 0.4)], self.rng, count=90)
        return image

    def focus(self) -> tuple[float, float]:
        slots = layout.subject_slots(
            self.spec, self.plan, self.request.brief.layout, self.request.brief.variant
        )
        if not slots:
            return (self.width / 2, self.height / 2)
        s = slots[0].scaled(self.scale)
        return (s.cx, s.cy)

    def finish(self, image: Image.Image, grain: float) -> Image.Image:
        mood = self.direction.mood
        if mood == "retro":
            block = max(2, round(min(image.size) / 150))
            image = bg.pixelate(image, block)
        # Grunge is grainy and dirty; pastel and minimal are smooth and clean.
        grain *= {"grunge": 4.0, "pastel": 0.3, "minimal": 0.0}.get(mood, 1.0)
        return bg.add_grain(image, self.np_rng, grain)

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
