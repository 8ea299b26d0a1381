"""The canvas an asset is composed on and the tools the family recipes (``compose.py``) draw
with: the brand's colours, words fitted into boxes and set on plates, the logo, scrims behind
words, the subject cut out of the art, the backdrop and the creator's own images."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from platforms.types import PlatformSpec, Rect

from . import geometry as geo
from . import layout, paint, references
from .artwork import contain, cover, decode_image, key_out_background, tone, trim, work_scale, work_size
from .colors import RGB, contrast_ratio, darken, hex_to_rgb, luminance, rgb_to_hex
from .providers.direction import mark_colors
from .text import SetText, TextLayout, TextStyle, draw_text, layout_text, set_text
from .types import BrandSnapshot, Brief, Check, Palette, Placement, ProviderError

MIN_TEXT_CONTRAST = 3.0  # WCAG's floor for large text


@dataclass
class Composition:
    image: Image.Image  # RGBA at the work size
    scale: int  # work pixels per master pixel
    texts: list[SetText] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    notes: list[Check] = field(default_factory=list)
    # The words and their plates on a layer of their own (transparent, the canvas's size), when
    # composed for motion: the art and the words then move separately. None: drawn on ``image``.
    words: Image.Image | None = None

    def flattened(self) -> Image.Image:
        """The composition as one image: the words, if kept apart, laid over the art."""
        if self.words is None:
            return self.image
        flat = self.image.convert("RGBA")
        flat.alpha_composite(self.words)
        return flat


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


class Canvas:
    """The canvas at the work size, with what the recipes need to know and draw."""

    def __init__(
        self,
        *,
        spec: PlatformSpec,
        brief: Brief,
        brand: BrandSnapshot,
        art: Image.Image,
        words_apart: bool = False,
    ) -> None:
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
        if words_apart:
            self.result.words = Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))
        self.safe = geo.scale(layout.safe_rect(spec), self.k)
        self.keep_out = tuple(geo.scale(r, self.k) for r in layout.keep_out(spec))
        self.heading_font = brand.heading_font
        self.body_font = brand.body_font
        self._logo: Image.Image | None = None
        self._logo_loaded = False

    @property
    def canvas(self) -> Image.Image:
        return self.result.image

    @property
    def ink(self) -> Image.Image:
        """Where words and their plates are drawn: their own layer when kept apart, else the canvas."""
        return self.result.words if self.result.words is not None else self.result.image

    # --- helpers -----------------------------------------------------------------------

    def record(self, kind: str, label: str, rect: Rect) -> None:
        master = geo.scale(rect, 1 / self.k)
        self.result.placements.append(Placement(kind=kind, label=label, rect=master))  # type: ignore[arg-type]  # kind: one of Placement's literals

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
        return TextStyle(**options)  # type: ignore[arg-type]  # options holds TextStyle's own fields

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
        return TextStyle(**options)  # type: ignore[arg-type]  # options holds TextStyle's own fields

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
        placed = set_text(self.ink, text, box, style, label=label, primary=primary, valign=valign)  # type: ignore[arg-type]  # valign: one of set_text's literals
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
        paint.over(self.ink, plate_image(plate_w, plate_h, plate, edge), (px, py))
        x = px + pad_x
        y = py + (plate_h - text_layout.ink_height) // 2
        placed = draw_text(self.ink, text_layout, x, y, label=label)
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
