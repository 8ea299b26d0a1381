"""Setting words: fit text to a box, break it into balanced lines, draw it with stroke and shadow.

Text is measured once at a reference size (glyph widths scale linearly with the size), the
largest size that fits is computed, then checked at the real size. Lines are broken to be as even
as possible rather than greedily. Drawing goes through masks composited in the exact colours, so
antialiased edges never pick up a dark fringe on transparent canvases, and the fill mask is kept
for the legibility check.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from platforms.types import Rect

from .colors import RGB
from .fonts import font_for_text, load_font_file
from .memo import PixelCache

REFERENCE_SIZE = 200
ELLIPSIS = "…"


@dataclass(frozen=True)
class TextStyle:
    font: str  # a fonts.FONTS key or a path to a TTF/OTF
    fill: RGB
    weight: str = "bold"
    stroke: RGB | None = None
    stroke_ratio: float = 0.0  # stroke width as a share of the font size
    shadow: RGB | None = None
    shadow_alpha: int = 150
    shadow_offset: float = 0.05  # share of the font size, down and right
    shadow_blur: float = 0.04  # share of the font size
    align: Literal["left", "center", "right"] = "center"
    line_height: float = 1.0  # baseline to baseline, as a share of the font size
    max_lines: int = 2
    min_size: int = 8
    max_size: int = 10_000
    line_fills: tuple[RGB, ...] = ()  # per-line colours (e.g. an accent last line)


@dataclass
class TextLayout:
    text: str
    lines: list[str]
    size: int
    font_path: Path
    style: TextStyle
    stroke_width: int
    # The inked block relative to the first line's baseline origin (x = 0 at the block's left).
    ink_left: int = 0
    ink_top: int = 0
    ink_width: int = 0
    ink_height: int = 0
    line_offsets: list[int] = field(default_factory=list)  # x of each line's origin in the block

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        return load_font_file(self.font_path, self.size)

    @property
    def margin(self) -> int:
        """Extra room the shadow needs beyond the inked box."""
        if self.style.shadow is None:
            return 0
        return round(self.size * (self.style.shadow_offset + self.style.shadow_blur * 2)) + 1


KEEP_DERIVED_PIXELS = 250_000  # masks up to this size keep their coloured layers and rings


@dataclass
class TextMasks:
    """The coverage masks of one layout (shared between renders of the same words; read-only).

    ``derived`` keeps what drawing and checks work out from the masks (coloured layers, inked
    boxes, the legibility ring), so that is done once per layout rather than once per render.
    Only chat-sized masks keep them (``keeps_derived``): big scene text would hold megabytes
    for a saving that is small next to the rest of such a render.
    """

    fill: Image.Image  # L, glyph interiors
    outer: Image.Image  # L, glyphs with their stroke (``fill`` when there is no stroke)
    lines: tuple[Image.Image, ...]  # one fill mask per line, for per-line colours
    shadow: Image.Image | None  # the blurred, faded outer mask
    derived: dict[object, object] = field(default_factory=dict)

    @property
    def keeps_derived(self) -> bool:
        return self.fill.width * self.fill.height <= KEEP_DERIVED_PIXELS

    def store(self, key: object, value: object) -> object:
        """Remember ``value`` under ``key`` when this layout keeps derived data; return it."""
        if self.keeps_derived:
            self.derived[key] = value
        return value


@dataclass
class SetText:
    """Words drawn on a canvas: where, in what colour, and the exact glyph coverage."""

    label: str
    rect: Rect  # canvas pixels, inked box including stroke and shadow
    fill: RGB
    fill_mask: Image.Image  # L, glyph interiors, covering ``mask_origin`` + its size
    mask_origin: tuple[int, int]
    stroke: RGB | None
    size: int
    lines: list[str]
    primary: bool = False
    masks: TextMasks | None = None


def _block_metrics(
    font: ImageFont.FreeTypeFont, lines: list[str], style: TextStyle, stroke: int, size: int
) -> tuple[int, int, int, int, list[int]]:
    """(left, top, width, height, per-line x offsets) of the inked block."""
    advance = round(size * style.line_height)
    boxes = [tuple(round(v) for v in font.getbbox(line, anchor="ls", stroke_width=stroke)) for line in lines]
    widths = [b[2] - b[0] for b in boxes]
    block_width = max(widths) if widths else 0
    offsets = []
    for box, width in zip(boxes, widths, strict=True):
        if style.align == "left":
            offsets.append(-box[0])
        elif style.align == "right":
            offsets.append(block_width - width - box[0])
        else:
            offsets.append((block_width - width) // 2 - box[0])
    top = min(box[1] + i * advance for i, box in enumerate(boxes)) if boxes else 0
    bottom_edge = max(box[3] + i * advance for i, box in enumerate(boxes)) if boxes else 0
    return 0, top, block_width, bottom_edge - top, offsets


def _partitions(words: list[str], lines: int) -> list[list[str]]:
    if lines == 1 or len(words) <= 1:
        return [[" ".join(words)]]
    gaps = range(1, len(words))
    result = []
    for cuts in itertools.combinations(gaps, lines - 1):
        bounds = (0, *cuts, len(words))
        result.append([" ".join(words[bounds[i] : bounds[i + 1]]) for i in range(lines)])
    return result


def _best_partition(font: ImageFont.FreeTypeFont, words: list[str], lines: int) -> list[str]:
    """The split into ``lines`` lines whose widest line is narrowest (balanced lines)."""
    if len(words) > 14:  # too many to enumerate: greedy by target width
        target = font.getlength(" ".join(words)) / lines
        result: list[str] = []
        current: list[str] = []
        for word in words:
            if current and font.getlength(" ".join([*current, word])) > target and len(result) < lines - 1:
                result.append(" ".join(current))
                current = []
            current.append(word)
        result.append(" ".join(current))
        return result
    lengths: dict[str, float] = {}

    def width(line: str) -> float:
        if line not in lengths:
            lengths[line] = font.getlength(line)
        return lengths[line]

    def balance(parts: list[str]) -> tuple[float, float]:
        widths = [width(p) for p in parts]
        mean = sum(widths) / len(widths)
        return (max(widths), sum((w - mean) ** 2 for w in widths))

    return min(_partitions(words, lines), key=balance)


@functools.lru_cache(maxsize=256)
def layout_text(text: str, style: TextStyle, box_width: int, box_height: int) -> TextLayout | None:
    """The largest layout of ``text`` (up to ``style.max_lines`` lines) that fits the box.

    A pure function of its arguments, so layouts are cached; the layout returned is shared and
    must not be changed.
    """
    text = (
        " ".join(text.split())
        if "\n" not in text
        else "\n".join(" ".join(t.split()) for t in text.split("\n"))
    )
    if not text or box_width <= 0 or box_height <= 0:
        return None
    path = font_for_text(style.font, text, style.weight)
    ref = load_font_file(path, REFERENCE_SIZE)
    ref_stroke = round(REFERENCE_SIZE * style.stroke_ratio) if style.stroke is not None else 0
    shadow_ref = 0
    if style.shadow is not None:
        shadow_ref = round(REFERENCE_SIZE * (style.shadow_offset + style.shadow_blur * 2)) + 1

    if "\n" in text:
        candidates = [[line for line in text.split("\n") if line][: style.max_lines]]
    else:
        words = text.split(" ")
        candidates = [_best_partition(ref, words, n) for n in range(1, min(style.max_lines, len(words)) + 1)]

    best: tuple[float, list[str]] | None = None
    for lines in candidates:
        _, _, w, h, _ = _block_metrics(ref, lines, style, ref_stroke, REFERENCE_SIZE)
        fit = min(box_width / max(1, w + 2 * shadow_ref), box_height / max(1, h + 2 * shadow_ref))
        size = REFERENCE_SIZE * fit
        # More lines only when they make the text clearly bigger.
        if best is None or size > best[0] * 1.06:
            best = (size, lines)
    assert best is not None
    size = int(min(best[0], style.max_size))
    lines = best[1]
    if size < style.min_size:
        size = style.min_size
        lines = _truncate(load_font_file(path, size), lines, box_width)

    # Confirm at the real size (hinting can make it a pixel or two wider), shrinking if needed.
    for _ in range(12):
        font = load_font_file(path, size)
        stroke = round(size * style.stroke_ratio) if style.stroke is not None else 0
        left, top, w, h, offsets = _block_metrics(font, lines, style, stroke, size)
        layout = TextLayout(text, lines, size, path, style, stroke, left, top, w, h, offsets)
        if (
            w + 2 * layout.margin <= box_width and h + 2 * layout.margin <= box_height
        ) or size <= style.min_size:
            return layout
        size = max(style.min_size, int(size * 0.96))
    return layout


def _truncate(font: ImageFont.FreeTypeFont, lines: list[str], width: int) -> list[str]:
    """Shorten lines that still do not fit at the smallest size, ending them with an ellipsis."""
    out = []
    for line in lines:
        if font.getlength(line) <= width:
            out.append(line)
            continue
        while line and font.getlength(line + ELLIPSIS) > width:
            line = line[:-1]
        out.append(line.rstrip() + ELLIPSIS)
    return out


def place(
    layout: TextLayout, box: Rect, *, valign: Literal["top", "center", "bottom"] = "center"
) -> tuple[int, int]:
    """Top-left of the inked block so it sits in ``box`` by the style's alignment."""
    m = layout.margin
    if layout.style.align == "left":
        x = box.x + m
    elif layout.style.align == "right":
        x = box.x + box.width - layout.ink_width - m
    else:
        x = box.x + (box.width - layout.ink_width) // 2
    if valign == "top":
        y = box.y + m
    elif valign == "bottom":
        y = box.y + box.height - layout.ink_height - m
    else:
        y = box.y + (box.height - layout.ink_height) // 2
    return x, y


def draw_text(
    canvas: Image.Image, layout: TextLayout, x: int, y: int, *, label: str, primary: bool = False
) -> SetText:
    """Draw a layout with its inked block's top-left at (x, y); returns what was set and where."""
    style = layout.style
    m = layout.margin + layout.stroke_width + 2
    origin_x, origin_y = x - m, y - m
    masks = text_masks(layout)

    base = (origin_x, origin_y)
    body: list[tuple[RGB, Image.Image]] = []
    if layout.stroke_width and style.stroke is not None:
        body.append((style.stroke, masks.outer))
    if style.line_fills:
        for i, mask in enumerate(masks.lines):
            body.append((style.line_fills[min(i, len(style.line_fills) - 1)], mask))
    else:
        body.append((style.fill, masks.fill))
    steps: list[tuple[list[tuple[RGB, Image.Image]], tuple[int, int]]] = []
    if masks.shadow is not None and style.shadow is not None:
        offset = round(layout.size * style.shadow_offset)
        steps.append(([(style.shadow, masks.shadow)], (origin_x + offset, origin_y + offset)))
    if canvas.mode == "RGBA" and len(body) > 1 and _fills_inside_stroke(masks):
        # Stroke and fill as one layer: the fill only covers opaque stroke pixels, where
        # compositing it onto the stroke first gives exactly the same pixels.
        steps.append((body, base))
    else:
        steps.extend(([pair], base) for pair in body)

    inked: Rect | None = None
    for stack, xy in steps:
        box = _paint_stack(canvas, stack, xy, masks)
        if box is not None:
            inked = box if inked is None else _union(inked, box)
    return SetText(
        label=label,
        rect=inked or Rect(x, y, 0, 0),
        fill=style.line_fills[0] if style.line_fills else style.fill,
        fill_mask=masks.fill,
        mask_origin=(origin_x, origin_y),
        stroke=style.stroke if layout.stroke_width else None,
        size=layout.size,
        lines=layout.lines,
        primary=primary,
        masks=masks,
    )


def _fills_inside_stroke(masks: TextMasks) -> bool:
    """Whether every pixel the fill touches is fully covered by the stroke."""
    found = masks.derived.get("fills-inside-stroke")
    if found is None:
        outer = np.asarray(masks.outer)
        fills = masks.lines or (masks.fill,)
        found = masks.store(
            "fills-inside-stroke",
            all(bool((outer[np.asarray(fill) > 0] == 255).all()) for fill in fills),
        )
    return bool(found)


def _paint_stack(
    canvas: Image.Image,
    stack: list[tuple[RGB, Image.Image]],
    xy: tuple[int, int],
    masks: TextMasks,
) -> Rect | None:
    """Paint solid colours through masks at ``xy`` (``paint.tint``, for one or more stacked
    masks). The coloured layer (on transparent canvases), the part of it on the canvas and
    its inked box are kept with the layout's masks, so the same words set in the same place
    again are only composited."""
    mask = stack[0][1]
    x, y = xy
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(canvas.width, x + mask.width), min(canvas.height, y + mask.height)
    if x1 <= x0 or y1 <= y0:
        return None
    piece_box = (x0 - x, y0 - y, x1 - x, y1 - y)
    rgba = canvas.mode == "RGBA"
    key = ("piece", tuple((colour if rgba else None, id(m)) for colour, m in stack), piece_box)
    derived = masks.derived
    found = derived.get(key)
    if found is None:
        whole = piece_box == (0, 0, mask.width, mask.height)
        if rgba:
            layer = None
            for colour, m in stack:
                part = Image.new("RGBA", m.size, (*colour, 0))
                part.putalpha(m)
                if layer is None:
                    layer = part
                else:
                    layer.alpha_composite(part)
            assert layer is not None
            piece = layer if whole else layer.crop(piece_box)
            inked = piece.getchannel("A").getbbox()
        else:
            piece = mask if whole else mask.crop(piece_box)
            inked = piece.getbbox()
        found = masks.store(key, (piece, inked))
    piece, inked = found  # type: ignore[misc]  # the cache's value type is generic; this key holds a (piece, box) pair
    if inked is None:
        return None
    if rgba:
        canvas.alpha_composite(piece, (x0, y0))
    else:
        canvas.paste(stack[0][0], (x0, y0, x1, y1), piece)
    ix0, iy0, ix1, iy1 = inked
    return Rect(x0 + ix0, y0 + iy0, ix1 - ix0, iy1 - iy0)


def _layout_key(layout: TextLayout) -> tuple[object, ...]:
    return (
        tuple(layout.lines),
        layout.size,
        str(layout.font_path),
        layout.style,
        layout.stroke_width,
        layout.ink_top,
        layout.ink_width,
        layout.ink_height,
        tuple(layout.line_offsets),
    )


def _masks_pixels(masks: TextMasks) -> int:
    size = masks.fill.width * masks.fill.height
    return size * (2 + len(masks.lines) + (masks.shadow is not None))


# A render sets a handful of lines; a creator's next render of the same words reuses them.
_MASKS: PixelCache[TextMasks] = PixelCache("text masks", max_entries=64, max_pixels=6_000_000)


def text_masks(layout: TextLayout) -> TextMasks:
    """The glyph masks of a layout (cached: the same words at the same size draw the same)."""
    return _MASKS.get(_layout_key(layout), lambda: _draw_masks(layout), _masks_pixels)


def _draw_masks(layout: TextLayout) -> TextMasks:
    style = layout.style
    font = layout.font
    m = layout.margin + layout.stroke_width + 2
    region_w = layout.ink_width + 2 * m
    region_h = layout.ink_height + 2 * m
    advance = round(layout.size * style.line_height)

    fill_mask = Image.new("L", (region_w, region_h), 0)
    outer_mask = Image.new("L", (region_w, region_h), 0) if layout.stroke_width else fill_mask
    fill_draw = ImageDraw.Draw(fill_mask)
    outer_draw = ImageDraw.Draw(outer_mask)
    line_masks: list[Image.Image] = []
    for i, line in enumerate(layout.lines):
        bx = m + layout.line_offsets[i]
        by = m - layout.ink_top + i * advance
        if style.line_fills:
            single = Image.new("L", (region_w, region_h), 0)
            ImageDraw.Draw(single).text((bx, by), line, font=font, fill=255, anchor="ls")
            line_masks.append(single)
        fill_draw.text((bx, by), line, font=font, fill=255, anchor="ls")
        if layout.stroke_width:
            outer_draw.text(
                (bx, by),
                line,
                font=font,
                fill=255,
                anchor="ls",
                stroke_width=layout.stroke_width,
                stroke_fill=255,
            )
    shadow = None
    if style.shadow is not None:
        blurred = outer_mask.filter(ImageFilter.GaussianBlur(max(0.5, layout.size * style.shadow_blur)))
        shadow = blurred.point([v * style.shadow_alpha // 255 for v in range(256)])
    return TextMasks(fill=fill_mask, outer=outer_mask, lines=tuple(line_masks), shadow=shadow)


def _union(a: Rect, b: Rect) -> Rect:
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    x1, y1 = max(a.x + a.width, b.x + b.width), max(a.y + a.height, b.y + b.height)
    return Rect(x0, y0, x1 - x0, y1 - y0)


def set_text(
    canvas: Image.Image,
    text: str,
    box: Rect,
    style: TextStyle,
    *,
    label: str,
    primary: bool = False,
    valign: Literal["top", "center", "bottom"] = "center",
) -> SetText | None:
    """Fit ``text`` into ``box`` and draw it; None when there is nothing to set."""
    layout = layout_text(text, style, box.width, box.height)
    if layout is None:
        return None
    x, y = place(layout, box, valign=valign)
    return draw_text(canvas, layout, x, y, label=label, primary=primary)
