"""Compose an asset: fit the provider's art to the canvas, then set every word and the logo.

The provider's art never carries text. Here the engine cuts subjects out (emotes, badges,
icons), cover-crops backgrounds, sets the words in the brand's fonts and exact colours with
strokes and shadows, places the logo, and keeps all of it inside the safe zone and clear of the
platform's UI. Each family has one recipe; every placement is recorded for validation.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from platforms.types import PlatformSpec, Rect

from . import badge as badges
from . import geometry as geo
from . import layout, paint, reading, references
from .colors import RGB, contrast_ratio, darken, hex_to_rgb, luminance, rgb_to_hex
from .providers.local import mark_colors
from .providers.marks import dilate
from .text import SetText, TextLayout, TextStyle, draw_text, layout_text, place, set_text
from .types import BrandSnapshot, Brief, Check, Palette, Placement, ProviderError

MIN_TEXT_CONTRAST = 3.0  # WCAG's floor for large text
# The recipes that set the brand's logo in a top corner (``Composer.corner_logo``): the only
# ones where "move the logo left/right" means something.
CORNER_LOGO_FAMILIES = frozenset({"thumbnail", "scene", "cover"})
# The recipes whose text room follows ``Tweaks.text_scale`` (``Composer.grow``, the thumbnail's
# column, ``text_block``'s title share); the others size their words from the layout alone.
TEXT_SCALE_FAMILIES = frozenset({"thumbnail", "banner", "scene", "cover"})
MAX_ART_PIXELS = 40_000_000  # larger provider images are refused (decompression bombs)


def work_scale(spec: PlatformSpec) -> int:
    """Small canvases are composed at twice their size, so strokes and curves stay smooth."""
    return 2 if max(spec.master.width, spec.master.height) <= 256 else 1


def work_size(spec: PlatformSpec) -> tuple[int, int]:
    k = work_scale(spec)
    return spec.master.width * k, spec.master.height * k


@dataclass
class Composition:
    image: Image.Image  # RGBA at the work size
    scale: int  # work pixels per master pixel
    texts: list[SetText] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    notes: list[Check] = field(default_factory=list)


# --- art preparation ---------------------------------------------------------------------


def decode_image(data: bytes, *, what: str = "art") -> Image.Image:
    """Decode PNG/JPEG/WebP bytes into RGBA, refusing unreadable or enormous images."""
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_ART_PIXELS:
            raise ProviderError(
                f"The image service returned an {what} image that is too large.", retryable=True
            )
        image.load()
    except ProviderError:
        raise
    except Exception as exc:
        raise ProviderError(
            f"The image service returned an unreadable {what} image.", retryable=True
        ) from exc
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    image.info = {}
    return image


def has_transparency(image: Image.Image) -> bool:
    return paint.min_alpha(image) < 250


def key_out_background(image: Image.Image) -> Image.Image:
    """Remove a flat background: the dominant border colour, with a soft threshold.

    AI models are asked for a subject on one flat colour; the colour is found from the border,
    pixels near it become transparent (softly, so edges stay smooth) and the colour that bled
    into edge pixels is taken back out. Art that is already transparent, or has no flat border,
    is returned unchanged.
    """
    if has_transparency(image):
        return image
    pixels = np.asarray(image.convert("RGBA")).astype(np.float32)
    rgb = pixels[..., :3]
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    buckets = (border // 24).astype(np.int32)
    keys = buckets[:, 0] * 10_000 + buckets[:, 1] * 100 + buckets[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    dominant = values[np.argmax(counts)]
    key_colour = border[keys == dominant].mean(axis=0)
    near = np.sqrt(((border - key_colour) ** 2).sum(axis=1)) < 48
    if near.mean() < 0.6:
        return image
    distance = np.sqrt(((rgb - key_colour) ** 2).sum(axis=-1))
    alpha = np.clip((distance - 36) / (96 - 36), 0, 1)
    safe_alpha = np.maximum(alpha, 1e-3)[..., None]
    despilled = np.where(alpha[..., None] < 1, (rgb - (1 - alpha[..., None]) * key_colour) / safe_alpha, rgb)
    out = np.concatenate(
        [np.clip(despilled, 0, 255), (alpha * pixels[..., 3:4].squeeze(-1))[..., None]], axis=-1
    )
    return Image.fromarray(out.astype(np.uint8))


def trim(image: Image.Image, threshold: int = 10) -> Image.Image:
    """Crop to the visible content (alpha above ``threshold``)."""
    if image.mode != "RGBA":
        return image
    box = paint.content_box(image, threshold)
    if box is None:
        return image
    return image if box == (0, 0, image.width, image.height) else image.crop(box)


def contain(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fit inside width×height, keeping the aspect ratio.

    Art that already fits and comes within ``FIT_SLACK`` px of the box's width or height (as
    the local provider draws it) is returned as is: a rescale by a pixel or two would only
    soften it.
    """
    if (
        image.width <= width
        and image.height <= height
        and (width - image.width <= layout.FIT_SLACK or height - image.height <= layout.FIT_SLACK)
    ):
        return image
    factor = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS)


def cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale and centre-crop to exactly width×height (the 'cover' fit)."""
    if image.size == (width, height):
        return image
    return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


# --- colours -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BrandColors:
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    text: RGB
    extras: tuple[RGB, ...]
    dark: RGB  # outlines
    light: RGB

    @classmethod
    def of(cls, brand: BrandSnapshot) -> BrandColors:
        return _brand_colors(brand.palette)

    @classmethod
    def of_palette(cls, p: Palette) -> BrandColors:
        marks = mark_colors(p, for_chat=False)
        return cls(
            primary=hex_to_rgb(p.primary),
            secondary=hex_to_rgb(p.secondary),
            accent=hex_to_rgb(p.accent),
            background=hex_to_rgb(p.background),
            text=hex_to_rgb(p.text),
            extras=tuple(hex_to_rgb(v) for v in p.extras),
            dark=marks.dark,
            light=marks.light,
        )

    def named(self) -> list[tuple[str, RGB]]:
        return [
            ("text", self.text),
            ("primary", self.primary),
            ("secondary", self.secondary),
            ("accent", self.accent),
            *((f"extra {i + 1}", c) for i, c in enumerate(self.extras)),
        ]


@functools.lru_cache(maxsize=64)
def plate_image(width: int, height: int, plate: RGB, edge: RGB | None) -> Image.Image:
    """A rounded plate for words (shared, read-only): slightly see-through, with an edge."""
    outline_width = max(1, round(height * 0.08)) if edge is not None else 0
    layer = Image.new("RGBA", (width, height), (*plate, 0))
    ImageDraw.Draw(layer).rounded_rectangle(
        (0, 0, width - 1, height - 1),
        radius=height // 2,
        fill=(*plate, 235),
        outline=(*edge, 255) if edge else None,
        width=outline_width,
    )
    return layer


@functools.lru_cache(maxsize=64)
def _brand_colors(palette: Palette) -> BrandColors:
    return BrandColors.of_palette(palette)


# --- the composer ------------------------------------------------------------------------


class Composer:
    def __init__(self, *, spec: PlatformSpec, brief: Brief, brand: BrandSnapshot, art: Image.Image) -> None:
        self.spec, self.brief, self.brand = spec, brief, brand
        self.k = work_scale(spec)
        self.w, self.h = work_size(spec)
        self.tweaks = brief.tweaks
        self.art = tone(art, brightness=self.tweaks.brightness, contrast=self.tweaks.contrast)
        self.plan = layout.text_plan(spec, brief, brand)
        # The composition the art was drawn for (settled by the engine; else the family's default).
        self.frame = (
            layout.frame(spec, brief.layout, brief.variant) if spec.family in layout.FRAMED_FAMILIES else None
        )
        self.colors = BrandColors.of(brand)
        # Transparent assets are composed in RGBA; the rest in RGB (cheaper, same result).
        mode = "RGBA" if spec.transparent else "RGB"
        fill = (0, 0, 0, 0) if spec.transparent else self.colors.background
        self.result = Composition(image=Image.new(mode, (self.w, self.h), fill), scale=self.k)
        self.safe = geo.scale(layout.safe_rect(spec), self.k)
        self.keep_out = tuple(geo.scale(r, self.k) for r in layout.keep_out(spec))
        self.heading_font = brand.heading_font
        self.body_font = brand.body_font
        self._logo: Image.Image | None = None
        self._logo_loaded = False

    @property
    def canvas(self) -> Image.Image:
        return self.result.image

    # --- helpers -----------------------------------------------------------------------

    def record(self, kind: str, label: str, rect: Rect) -> None:
        master = geo.scale(rect, 1 / self.k)
        self.result.placements.append(Placement(kind=kind, label=label, rect=master))  # type: ignore[arg-type]

    def clear(self, box: Rect) -> Rect:
        """``box`` limited to the safe zone and cut clear of every keep-out area."""
        x0, y0 = max(box.x, self.safe.x), max(box.y, self.safe.y)
        x1 = min(geo.right(box), geo.right(self.safe))
        y1 = min(geo.bottom(box), geo.bottom(self.safe))
        return geo.avoid(Rect(x0, y0, max(0, x1 - x0), max(0, y1 - y0)), self.keep_out)

    def grow(self, box: Rect) -> Rect:
        """``box`` scaled about its centre by the text-size tweak, kept inside the safe zone."""
        scale = self.tweaks.text_scale
        if scale == 1:
            return box
        w, h = round(box.width * scale), round(box.height * scale)
        safe = self.safe
        # Grown about its centre, then slid back inside the safe zone: a block against one
        # edge (a split layout's words) grows away from it instead of being cut.
        x = min(max(box.x - (w - box.width) // 2, safe.x), geo.right(safe) - w)
        y = min(max(box.y - (h - box.height) // 2, safe.y), geo.bottom(safe) - h)
        return self.clear(Rect(max(x, safe.x), max(y, safe.y), w, h))

    def corner_logo(self, box: Rect) -> Rect | None:
        """The layout's corner logo (top left), or mirrored to the top right when asked."""
        if self.tweaks.logo_side == "right":
            mirrored = Rect(
                geo.right(self.safe) - (box.x - self.safe.x) - box.width, box.y, box.width, box.height
            )
            return self.place_logo(mirrored, align="right", valign="top")
        return self.place_logo(box, align="left", valign="top")

    def text_colours(self) -> tuple[RGB, RGB]:
        """(fill, stroke) for text on the asset's own background, in brand colours.

        The brand's text colour on its background colour is the pair the creator chose; when
        they do not contrast, the brand colour that best contrasts with the background is used
        instead (and the report says so). When none does, the text colour stays and the
        legibility check warns.
        """
        c = self.colors
        fill, stroke = c.text, c.background
        if contrast_ratio(fill, stroke) >= MIN_TEXT_CONTRAST:
            return fill, stroke
        name, best = max(c.named(), key=lambda item: contrast_ratio(item[1], stroke))
        if contrast_ratio(best, stroke) >= MIN_TEXT_CONTRAST and best != fill:
            self.result.notes.append(
                Check(
                    code="text_colour",
                    ok=True,
                    severity="info",
                    message=(
                        f"Your text colour {rgb_to_hex(fill)} is too close to your background "
                        f"{rgb_to_hex(stroke)}, so the words are set in your {name} colour "
                        f"{rgb_to_hex(best)}."
                    ),
                )
            )
            return best, stroke
        return fill, stroke

    def chat_text_colours(self) -> tuple[RGB, RGB]:
        """(fill, stroke) for words on a transparent asset seen on light and dark chat."""
        c = self.colors
        fill = c.text
        stroke = c.dark if luminance(fill) >= 0.3 else c.light
        return fill, stroke

    def emphasis(self, fill: RGB, stroke: RGB) -> RGB:
        """A brand colour for a highlighted line, if one reads as well as the fill."""
        for candidate in (self.colors.accent, self.colors.secondary, self.colors.primary):
            if candidate != fill and contrast_ratio(candidate, stroke) >= max(
                MIN_TEXT_CONTRAST, 0.75 * contrast_ratio(fill, stroke)
            ):
                return candidate
        return fill

    def heading_style(self, fill: RGB, stroke: RGB, **overrides: object) -> TextStyle:
        options: dict[str, object] = {
            "font": self.heading_font,
            "weight": "black",
            "fill": fill,
            "stroke": stroke,
            "stroke_ratio": 0.07,
            "shadow": darken(stroke, 0.5),
            "shadow_alpha": 160,
            "line_height": 0.98,
            "max_lines": 2,
            "min_size": 7 * self.k,
        }
        options.update(overrides)
        if self.tweaks.glow > 0:
            # A halo in the accent colour instead of the drop shadow, stronger with each step.
            glow = self.tweaks.glow
            options.update(
                shadow=self.colors.accent,
                shadow_alpha=min(255, round(150 + 35 * glow)),
                shadow_offset=0.0,
                shadow_blur=0.035 + 0.03 * glow,
            )
        return TextStyle(**options)  # type: ignore[arg-type]

    def body_style(self, fill: RGB, stroke: RGB | None, **overrides: object) -> TextStyle:
        options: dict[str, object] = {
            "font": self.body_font,
            "weight": "bold",
            "fill": fill,
            "stroke": stroke,
            "stroke_ratio": 0.06 if stroke is not None else 0.0,
            "shadow": None,
            "line_height": 1.1,
            "max_lines": 1,
            "min_size": 6 * self.k,
        }
        options.update(overrides)
        return TextStyle(**options)  # type: ignore[arg-type]

    def add_text(
        self,
        text: str,
        box: Rect,
        style: TextStyle,
        *,
        label: str,
        primary: bool = False,
        valign: str = "center",
    ) -> SetText | None:
        box = self.clear(box)
        if not text or box.width < 4 or box.height < 4:
            return None
        placed = set_text(self.canvas, text, box, style, label=label, primary=primary, valign=valign)  # type: ignore[arg-type]
        if placed is not None:
            self.result.texts.append(placed)
            self.record("text", label, placed.rect)
        return placed

    def pill_layout(
        self, text: str, box: Rect, fill: RGB, font: str | None = None, align: str = "center"
    ) -> tuple[TextLayout, int] | None:
        """The words' layout on a plate of ``box``'s height, and the plate's width."""
        pad_y = round(box.height * 0.2)
        pad_x = round(box.height * 0.38)
        style = self.body_style(fill, None, font=font or self.body_font, weight="extrabold", align=align)
        text_layout = layout_text(text, style, max(1, box.width - 2 * pad_x), box.height - 2 * pad_y)
        if text_layout is None:
            return None
        return text_layout, text_layout.ink_width + 2 * pad_x

    def pill(
        self,
        text: str,
        box: Rect,
        *,
        fill: RGB,
        plate: RGB,
        edge: RGB | None,
        label: str,
        font: str | None = None,
        align: str = "center",
        valign: str = "center",
    ) -> SetText | None:
        """Words on a rounded plate (subtext, schedule, tier numbers)."""
        box = self.clear(box)
        if not text or box.width < 6 or box.height < 6:
            return None
        laid = self.pill_layout(text, box, fill, font, align)
        if laid is None:
            return None
        text_layout, plate_w = laid
        pad_x = round(box.height * 0.38)
        plate_h = box.height
        if align == "left":
            px = box.x
        elif align == "right":
            px = geo.right(box) - plate_w
        else:
            px = box.x + (box.width - plate_w) // 2
        py = box.y if valign == "top" else box.y + (box.height - plate_h) // 2
        plate_rect = Rect(px, py, plate_w, plate_h)
        paint.over(self.canvas, plate_image(plate_w, plate_h, plate, edge), (px, py))
        x = px + pad_x
        y = py + (plate_h - text_layout.ink_height) // 2
        placed = draw_text(self.canvas, text_layout, x, y, label=label)
        placed.rect = geo.union(placed.rect, plate_rect)
        self.result.texts.append(placed)
        self.record("text", label, plate_rect)
        return placed

    def logo(self) -> Image.Image | None:
        if not self._logo_loaded:
            self._logo_loaded = True
            if self.brand.logo_png:
                try:
                    self._logo = trim(decode_image(self.brand.logo_png, what="logo"))
                except ProviderError:
                    self.result.notes.append(
                        Check(
                            code="logo",
                            ok=False,
                            severity="warning",
                            message="Your logo file could not be read, so it was left out.",
                        )
                    )
        return self._logo

    def place_logo(self, box: Rect, *, align: str = "left", valign: str = "center") -> Rect | None:
        logo = self.logo()
        box = self.clear(box)
        if logo is None or box.width < 8 or box.height < 8:
            return None
        fitted = contain(logo, box.width, box.height)
        x = (
            box.x
            if align == "left"
            else box.x + (box.width - fitted.width) // 2
            if align == "center"
            else geo.right(box) - fitted.width
        )
        y = box.y if valign == "top" else box.y + (box.height - fitted.height) // 2
        # A soft shadow lifts the logo off busy art.
        shadow = Image.new("RGBA", fitted.size, (*darken(self.colors.background, 0.6), 0))
        shadow.putalpha(
            fitted.getchannel("A")
            .point(lambda v: v * 110 // 255)
            .filter(ImageFilter.GaussianBlur(max(1, fitted.height // 30)))
        )
        offset = max(1, fitted.height // 40)
        paint.over(self.canvas, shadow, (x + offset, y + offset))
        paint.over(self.canvas, fitted, (x, y))
        rect = Rect(x, y, fitted.width + offset, fitted.height + offset)
        self.record("logo", "logo", rect)
        return rect

    def scrim(self, rect: Rect, colour: RGB, alpha: int) -> None:
        """A soft dark (or light) pool behind text so it reads over busy art."""
        f = 4
        small = Image.new("L", (max(1, self.w // f), max(1, self.h // f)), 0)
        r = Rect(rect.x // f, rect.y // f, max(1, rect.width // f), max(1, rect.height // f))
        ImageDraw.Draw(small).ellipse((r.x, r.y, r.x + r.width, r.y + r.height), fill=alpha)
        small = small.filter(ImageFilter.GaussianBlur(max(1, min(r.width, r.height) * 0.25)))
        paint.tint(self.canvas, colour, small.resize((self.w, self.h), Image.Resampling.BILINEAR))

    def side_scrim(self, colour: RGB, width_share: float, alpha: int, *, right: bool = False) -> None:
        """Darken the left (or right) part of the canvas, fading out towards the other side
        (thumbnail headlines)."""
        ramp = np.clip(1 - np.linspace(0, 1, 64) / width_share, 0, 1) ** 1.4 * alpha
        if right:
            ramp = ramp[::-1]
        strip = Image.fromarray(ramp.astype(np.uint8)[None, :]).resize(
            (self.w, self.h), Image.Resampling.BILINEAR
        )
        paint.tint(self.canvas, colour, strip)

    def subject(self) -> Image.Image:
        """The provider's subject, cut out and trimmed (square families). The creator's own
        image takes its place when they attached one."""
        if self.brief.references:
            reference = self.brief.references[0]
            picture = decode_image(reference.image_png, what="reference image").convert("RGBA")
            return (
                picture
                if reference.cutout
                else references.framed(picture, picture.width, picture.height, self.colors.accent)
            )
        art = self.art if self.art.mode == "RGBA" else self.art.convert("RGBA")
        alpha = np.asarray(art.getchannel("A"))
        if int(alpha.min()) < 250:  # already cut out (what key_out_background checks first)
            box = paint.box_above(alpha, 10)
            if box is None or box == (0, 0, art.width, art.height):
                return art
            return art.crop(box)
        return trim(key_out_background(art))

    # --- recipes -----------------------------------------------------------------------

    def compose(self) -> Composition:
        family = self.spec.family
        recipe = {
            "emote": self.emote,
            "icon": self.emote,
            "badge": self.badge,
            "avatar": self.avatar,
            "thumbnail": self.thumbnail,
            "banner": self.banner,
            "scene": self.scene,
            "cover": self.cover,
            "panel": self.panel,
            "overlay": self.overlay,
        }[family]
        recipe()
        return self.result

    def backdrop(self) -> None:
        """The art, cover-cropped, as the canvas (flattened onto the brand background if opaque)."""
        art = cover(self.art, self.w, self.h)
        if self.spec.transparent:
            self.result.image = art.copy() if art.mode == "RGBA" else art.convert("RGBA")
        elif art.mode == "RGBA":
            base = Image.new("RGB", (self.w, self.h), self.colors.background)
            base.paste(art, (0, 0), art)
            self.result.image = base
        else:
            self.result.image = art if art is not self.art else art.copy()
        self.place_references()

    def place_references(self) -> None:
        """The creator's own images on the art, where the family puts them (under the words)."""
        if not self.brief.references or self.spec.family in ("emote", "icon", "badge"):
            return
        frame = self.frame
        # Where the composition puts its subject (a pattern has no one place: the family's).
        area = (
            self.clear(geo.scale(frame.slots[0].rect(), self.k))
            if frame is not None and frame.slots and frame.roles[0] != "pattern"
            else None
        )
        boxes = references.boxes_for(
            self.spec.family, self.w, self.h, self.safe, len(self.brief.references), area=area
        )
        for reference, box in zip(self.brief.references, boxes, strict=False):
            picture = decode_image(reference.image_png, what="reference image")
            rect = references.place(
                self.canvas, picture, self.clear(box), cutout=reference.cutout, ring=self.colors.accent
            )
            self.record("reference", reference.role, rect)

    def emote(self) -> None:
        w = self.w
        subject = self.subject()
        if self.spec.asset_type == "watermark" and self.logo() is not None:
            logo = self.logo()
            assert logo is not None
            subject = logo
            self.record("logo", "logo", Rect(0, 0, w, w))
        sticker = self.spec.asset_type == "sticker"
        title = self.plan.title
        subject_box, text_box = layout.emote_boxes(w, title, sticker=sticker)
        fitted = contain(subject, subject_box.width, subject_box.height)
        x = subject_box.x + (subject_box.width - fitted.width) // 2
        y = subject_box.y + (subject_box.height - fitted.height) // 2 if not title else subject_box.y
        paint.place_on_empty(self.canvas, fitted, (x, y))
        if title:
            fill, stroke = self.chat_text_colours()
            style = self.heading_style(
                fill, stroke, stroke_ratio=0.15, shadow=None, line_height=0.9, max_lines=2
            )
            self.add_text(title, text_box, style, label="text", primary=True, valign="bottom")
        if sticker:
            self.die_cut(round(w * 0.035))

    def die_cut(self, width: int) -> None:
        """A white sticker border around everything drawn so far."""
        alpha = self.canvas.getchannel("A")
        border = Image.new("RGBA", self.canvas.size, (255, 255, 255, 0))
        border.putalpha(dilate(alpha, width))
        border.alpha_composite(self.canvas)
        self.result.image = border

    def badge(self) -> None:
        w = self.w
        level = badges.tier_level(self.spec, self.brief.tier)
        chat = mark_colors(self.brand.palette, for_chat=True)
        frame = badges.draw_frame(w, level, chat)
        # The canvas is still empty: compositing the frame onto it would copy it (frames keep
        # no colour in their fully transparent pixels).
        self.result.image = frame.copy()
        tier_text = self.plan.tier
        cx, cy, side = badges.subject_box(w, with_tier=bool(tier_text))
        fitted = contain(self.subject(), side, side)
        self.canvas.alpha_composite(fitted, (cx - fitted.width // 2, cy - fitted.height // 2))
        if tier_text:
            x, y, pw, ph = badges.pill_box(w)
            ornament = badges.LEVELS[level]
            edge = chat.second if ornament.ring == "brand" else badges.METALS[ornament.ring]
            fill, _ = self.chat_text_colours()
            if contrast_ratio(fill, chat.dark) < MIN_TEXT_CONTRAST:
                fill = chat.light
            self.pill(
                tier_text,
                Rect(x, y, pw, ph),
                fill=fill,
                plate=chat.dark,
                edge=edge,
                label="tier",
                font=self.heading_font,
            )

    def avatar(self) -> None:
        self.backdrop()
        if self.plan.title:
            band = geo.circle_band(
                self.w, round(self.h * 0.66), round(self.h * 0.84), margin=round(self.w * 0.05)
            )
            fill, stroke = self.text_colours()
            self.add_text(
                self.plan.title,
                band,
                self.heading_style(fill, stroke, stroke_ratio=0.1),
                label="text",
                primary=True,
            )

    def thumbnail(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        w, h, safe = self.w, self.h, self.safe
        k = self.k
        if frame.name == "big_subject":
            self.side_scrim(darken(self.colors.background, 0.3), 0.62, 190, right=frame.mirrored)
            # A solid bar in the brand's secondary colour along the headline's edge: whatever the
            # provider painted, the kit's colours are in the file exactly.
            bar_w = max(4, round(w * 0.008))
            bar_x = w - round(safe.x * 0.35) - bar_w if frame.mirrored else round(safe.x * 0.35)
            bar = Rect(bar_x, safe.y, bar_w, safe.height)
            ImageDraw.Draw(self.canvas).rectangle(
                (bar.x, bar.y, bar.x + bar.width - 1, bar.y + bar.height - 1), fill=self.colors.secondary
            )
        region = geo.scale(frame.text, k)
        number = reading.list_number(f"{self.brief.text} {self.brief.base} {self.brief.prompt}")
        if frame.name == "top_list" and not number:
            # No number written: the words take its room.
            region = Rect(safe.x, region.y, geo.right(region) - safe.x, region.height)
        # The corner logo goes top left, or bottom left where the words sit across the top.
        top_words = frame.name in ("versus", "before_after")
        logo_box = (
            Rect(safe.x, geo.bottom(safe) - round(h * 0.12), round(w * 0.2), round(h * 0.12))
            if top_words or frame.name == "title_card"
            else Rect(safe.x, safe.y, round(w * 0.2), round(h * 0.12))
        )
        logo_rect = self.corner_logo(logo_box)
        if logo_rect is not None and geo.intersects(logo_rect, region) and self.tweaks.logo_side != "right":
            top = geo.bottom(logo_rect) + round(h * 0.02)
            region = Rect(region.x, top, region.width, max(0, geo.bottom(region) - top))
        if frame.name == "big_subject" and frame.mirrored:
            left = geo.right(region) - round(region.width * self.tweaks.text_scale)
            region = self.clear(Rect(left, region.y, geo.right(region) - left, region.height))
        elif frame.name == "big_subject":
            width = round((frame.text.x + frame.text.width) * k * self.tweaks.text_scale) - region.x
            region = self.clear(Rect(region.x, region.y, width, region.height))
        else:
            region = self.grow(region)
            self.scrim(
                geo.inset(region, -round(region.width * 0.06), -round(region.height * 0.12)),
                darken(self.colors.background, 0.4),
                90 if frame.name == "title_card" else 150,  # a title card's own card lifts it
            )
        self.headline(region, align=frame.align, max_lines=3 if frame.name != "versus" else 2)
        self.layout_marks(frame, number)
        self.kit_strip()

    def kit_strip(self) -> None:
        """A thin strip of the kit's three colours along the top edge: whatever the provider
        painted, the kit's colours are in the file exactly, in every composition."""
        colours = (self.colors.primary, self.colors.secondary, self.colors.accent)
        height = max(6, round(self.h * 0.014))
        draw = ImageDraw.Draw(self.canvas)
        for index, colour in enumerate(colours):
            x0 = round(self.w * index / 3)
            x1 = round(self.w * (index + 1) / 3) - 1
            draw.rectangle((x0, 0, x1, height - 1), fill=colour)

    def headline(self, column: Rect, *, align: str, max_lines: int = 3) -> None:
        """The thumbnail's headline (its last line in an emphasis colour) and subtext pill,
        stacked and centred in ``column``."""
        column = self.clear(column)
        h = self.h
        fill, stroke = self.text_colours()
        sub_h = round(h * 0.1) if self.plan.subtitle else 0
        gap = round(h * 0.03) if sub_h else 0
        headline_box = self.clear(Rect(column.x, column.y, column.width, column.height - sub_h - gap))
        options: dict[str, object] = {
            "align": align,
            "max_lines": max_lines,
            "stroke_ratio": 0.075,
            "line_height": 0.95,
        }
        style = self.heading_style(fill, stroke, **options)
        text_layout = (
            layout_text(self.plan.title, style, headline_box.width, headline_box.height)
            if self.plan.title
            else None
        )
        if text_layout is not None and len(text_layout.lines) > 1:
            accent = self.emphasis(fill, stroke)
            fills = tuple([fill] * (len(text_layout.lines) - 1) + [accent])
            style = self.heading_style(fill, stroke, line_fills=fills, **options)
            text_layout = layout_text(self.plan.title, style, headline_box.width, headline_box.height)
        block_h = (text_layout.ink_height + 2 * text_layout.margin if text_layout else 0) + gap + sub_h
        y0 = column.y + max(0, (column.height - block_h) // 2)
        if text_layout is not None:
            x, _ = place(text_layout, headline_box)
            y = y0 + text_layout.margin
            placed = draw_text(self.canvas, text_layout, x, y, label="headline", primary=True)
            self.result.texts.append(placed)
            self.record("text", "headline", placed.rect)
            y0 = geo.bottom(placed.rect) + gap
        if self.plan.subtitle:
            plate = (
                self.colors.primary
                if contrast_ratio(fill, self.colors.primary) >= MIN_TEXT_CONTRAST
                else self.colors.background
            )
            self.pill(
                self.plan.subtitle,
                Rect(column.x, y0, column.width, sub_h),
                fill=fill,
                plate=plate,
                edge=None,
                label="subtext",
                align=align,
                valign="top",
            )

    def layout_marks(self, frame: layout.Frame, number: str) -> None:
        """The words a composition sets itself: "VS", the list's number, BEFORE and AFTER."""
        fill, stroke = self.text_colours()
        vs = frame.mark("vs")
        if vs is not None:
            self.add_text(
                "VS",
                geo.scale(vs, self.k),
                self.heading_style(fill, self.colors.dark, max_lines=1, stroke_ratio=0.1),
                label="vs",
            )
        box = frame.mark("number")
        if box is not None and number:
            self.add_text(
                number if len(number) > 1 else f"#{number}",
                geo.scale(box, self.k),
                self.heading_style(fill, stroke, max_lines=1, stroke_ratio=0.06),
                label="number",
            )
        for kind, words in (("before", "BEFORE"), ("after", "AFTER")):
            box = frame.mark(kind)
            if box is None:
                continue
            plate = self.colors.background if kind == "before" else self.colors.primary
            if contrast_ratio(fill, plate) < MIN_TEXT_CONTRAST:
                plate = self.colors.background
            self.pill(
                words, geo.scale(box, self.k), fill=fill, plate=plate, edge=self.colors.accent, label=kind
            )

    def text_block(
        self, region: Rect, *, align: str = "center", title_share: float = 0.5, with_logo: bool = True
    ) -> None:
        """Title, subtitle and detail stacked and centred in ``region``; the logo to their left."""
        # A hair inside the area, so strokes and shadows rounded at the edge stay within it.
        region = geo.inset(self.clear(region), 0, max(2, round(region.height * 0.012)))
        fill, stroke = self.text_colours()
        logo = self.logo() if with_logo else None
        logo_w = 0
        if logo is not None:
            logo_h = round(region.height * 0.5)
            logo_w = min(round(logo_h * logo.width / max(1, logo.height)), round(region.width * 0.22))
        gap = round(region.height * 0.06)
        column_w = region.width - (logo_w + gap if logo_w else 0)
        plan = self.plan
        shares = [
            ("title", plan.title, title_share * self.tweaks.text_scale),
            ("subtitle", plan.subtitle, 0.22),
            ("detail", plan.detail, 0.16),
        ]
        present = [(label, text, share) for label, text, share in shares if text]
        if not present:
            if logo is not None:
                self.place_logo(region, align="center")
            return
        total_share = sum(share for _, _, share in present)
        usable = region.height - gap * (len(present) - 1)
        text_align = "left" if logo_w else align
        detail_plate = (
            self.colors.primary
            if contrast_ratio(fill, self.colors.primary) >= MIN_TEXT_CONTRAST
            else darken(self.colors.background, 0.2)
        )
        rows: list[tuple[str, str, TextLayout, int, int]] = []  # label, text, layout, width, height
        for label, text, share in present:
            box_h = round(usable * share / total_share)
            if label == "detail":
                laid = self.pill_layout(text, Rect(0, 0, column_w, box_h), fill, align=text_align)
                if laid is not None:
                    rows.append((label, text, laid[0], laid[1], box_h))
                continue
            if label == "title":
                style = self.heading_style(fill, stroke, align=text_align, max_lines=2)
            else:
                style = self.body_style(
                    fill, stroke, align=text_align, max_lines=2, shadow=darken(stroke, 0.5), shadow_alpha=120
                )
            text_layout = layout_text(text, style, column_w, box_h)
            if text_layout is not None:
                m = text_layout.margin
                rows.append(
                    (label, text, text_layout, text_layout.ink_width + 2 * m, text_layout.ink_height + 2 * m)
                )
        if not rows:
            return
        block_h = sum(row[4] for row in rows) + gap * (len(rows) - 1)
        block_w = max(row[3] for row in rows)
        group_w = block_w + (logo_w + gap if logo_w else 0)
        gx = region.x + (region.width - group_w) // 2
        y = region.y + (region.height - block_h) // 2
        if logo_w:
            logo_box = Rect(gx, y, logo_w, block_h)
            placed_logo = self.place_logo(logo_box, align="left")
            gx += (placed_logo.width if placed_logo else logo_w) + gap
        column = Rect(gx, region.y, block_w, region.height)
        for label, text, text_layout, _, height in rows:
            if label == "detail":
                self.pill(
                    text,
                    Rect(column.x, y, column.width, height),
                    fill=fill,
                    plate=detail_plate,
                    edge=self.colors.accent,
                    label=label,
                    align=text_align,
                )
            else:
                x, _ = place(text_layout, column)
                placed = draw_text(
                    self.canvas, text_layout, x, y + text_layout.margin, label=label, primary=label == "title"
                )
                self.result.texts.append(placed)
                self.record("text", label, placed.rect)
            y += height + gap

    def frame_region(self) -> Rect:
        """The composition's text block on the canvas, grown by the text-size tweak."""
        frame = self.frame or layout.frame(self.spec, "")
        return self.grow(geo.scale(frame.text, self.k))

    def banner(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        region = self.frame_region()
        self.scrim(
            geo.inset(region, -round(region.width * 0.04), -round(region.height * 0.05)),
            darken(self.colors.background, 0.4),
            120 if frame.name != "pattern" else 170,
        )
        self.text_block(region, title_share=0.56, align=frame.align)

    def scene(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        w, h, safe = self.w, self.h, self.safe
        region = self.words_below_logo(
            Rect(safe.x, safe.y, round(w * 0.16), round(h * 0.1)), self.frame_region()
        )
        self.scrim(
            geo.inset(region, -round(region.width * 0.06), -round(region.height * 0.06)),
            darken(self.colors.background, 0.4),
            110 if frame.name != "pattern" else 170,
        )
        self.text_block(region, title_share=0.56, with_logo=False, align=frame.align)

    def cover(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        safe = self.safe
        region = self.words_below_logo(
            Rect(safe.x, safe.y, round(safe.width * 0.26), round(safe.height * 0.07)), self.frame_region()
        )
        if self.plan.title or self.plan.subtitle:
            self.scrim(
                geo.inset(region, -round(region.width * 0.02)),
                darken(self.colors.background, 0.4),
                110 if frame.name != "pattern" else 170,
            )
        self.text_block(region, title_share=0.62, with_logo=False, align=frame.align)

    def words_below_logo(self, logo_box: Rect, region: Rect) -> Rect:
        """Place the corner logo; the words' region starts below it when they would meet."""
        logo_rect = self.corner_logo(logo_box)
        if logo_rect is None or not geo.intersects(logo_rect, region):
            return region
        top = geo.bottom(logo_rect) + round(self.h * 0.02)
        return Rect(region.x, top, region.width, max(0, geo.bottom(region) - top))

    def panel(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        box = geo.scale(frame.text, self.k)
        fill, stroke = self.text_colours()
        # A panel label reads best on one line; long labels may take two.
        lines = 1 if len(self.plan.title) <= 16 else 2
        style = self.heading_style(fill, stroke, max_lines=lines, stroke_ratio=0.08, shadow_offset=0.04)
        self.add_text(self.plan.title, box, style, label="title", primary=True)

    def overlay(self) -> None:
        self.backdrop()
        bar = self.safe
        pad = round(bar.height * 0.16)
        inner = geo.inset(bar, pad)
        x = inner.x
        logo_rect = self.place_logo(Rect(x, inner.y, round(inner.height * 1.6), inner.height), align="left")
        if logo_rect is not None:
            x = geo.right(logo_rect) + pad
        fill, stroke = self.text_colours()
        mark_room = round(bar.height * 1.1)
        name_w = round((geo.right(inner) - x - mark_room) * 0.55)
        self.add_text(
            self.plan.title,
            Rect(x, inner.y, name_w, inner.height),
            self.heading_style(fill, stroke, align="left", max_lines=1),
            label="title",
            primary=True,
        )
        info_x = x + name_w + pad
        info_w = geo.right(inner) - mark_room - info_x
        if self.plan.subtitle:
            self.add_text(
                self.plan.subtitle,
                Rect(info_x, inner.y, info_w, inner.height // 2),
                self.body_style(fill, None, align="right"),
                label="subtitle",
                valign="bottom",
            )
        if self.plan.detail:
            plate = (
                self.colors.primary
                if contrast_ratio(fill, self.colors.primary) >= MIN_TEXT_CONTRAST
                else darken(self.colors.background, 0.2)
            )
            self.pill(
                self.plan.detail,
                Rect(info_x, inner.y + inner.height // 2 + pad // 2, info_w, inner.height // 2 - pad // 2),
                fill=fill,
                plate=plate,
                edge=None,
                label="detail",
                align="right",
            )
        self.punch_holes()

    def punch_holes(self) -> None:
        """Make the overlay's holes fully transparent again, whatever was drawn over them."""
        alpha = self.canvas.getchannel("A")
        draw = ImageDraw.Draw(alpha)
        for hole in self.spec.transparent_areas:
            r = geo.scale(hole, self.k)
            draw.rectangle((r.x, r.y, geo.right(r) - 1, geo.bottom(r) - 1), fill=0)
        self.canvas.putalpha(alpha)


def tone(image: Image.Image, *, brightness: float = 1.0, contrast: float = 1.0) -> Image.Image:
    """The art lighter/darker and with more or less contrast; transparency is kept as it is."""
    if brightness == 1 and contrast == 1:
        return image
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image.convert("RGB")
    if contrast != 1:
        rgb = ImageEnhance.Contrast(rgb).enhance(contrast)
    if brightness != 1:
        rgb = ImageEnhance.Brightness(rgb).enhance(brightness)
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb


def compose(
    *,
    spec: PlatformSpec,
    brief: Brief,
    brand: BrandSnapshot,
    art_png: bytes | None = None,
    art_image: Image.Image | None = None,
) -> Composition:
    """Fit the provider's art (PNG bytes, or an image from an in-process provider) and set the
    brand's words and logo: the master canvas at the work size."""
    if art_image is None:
        if art_png is None:
            raise ValueError("compose needs art_png or art_image")
        art_image = decode_image(art_png)
    elif art_image.mode not in ("RGB", "RGBA"):
        art_image = art_image.convert("RGBA")
    return Composer(spec=spec, brief=brief, brand=brand, art=art_image).compose()
