"""Legibility at the size the platform shows an asset: emotes at 28 px and badges at 18 px on
light and dark chat, a thumbnail at 120 px wide; the subject's visibility and the words'
contrast with what surrounds them, scored 0–1, and the words' height."""

from __future__ import annotations

import numpy as np
from PIL import Image

from platforms.types import PlatformSpec

from .canvas import Composition
from .checks import CHAT_FAMILIES, verdict
from .colors import (
    CHAT_DARK,
    CHAT_LIGHT,
    LINEAR,
    LUMA_WEIGHTS,
    RGB,
    contrast_ratio,
    luminance,
)
from .paint import SOLID_LUT, dilate
from .text import SetText
from .types import Check

LEGIBLE = 0.5  # scores below this are warnings
GOOD_CONTRAST = 4.5  # WCAG AA: a score of 1
VISIBLE_CONTRAST = 2.0  # a pixel this far from the chat colour can be seen
VISIBLE_SHARE = 0.35  # … and this share of such pixels makes a subject fully visible
MIN_CAP_HEIGHT_PX = 6.0  # capital letters shorter than this do not read

NOUNS = {"emote": "emote", "badge": "badge", "icon": "icon"}


def _scale_for(spec: PlatformSpec) -> tuple[int, str]:
    """The width to judge legibility at, and how to name it."""
    m = spec.master
    size = spec.legibility_px or spec.renditions[-1].width
    if m.width == m.height:
        return size, f"{size} px"
    return size, f"{size}×{round(size * m.height / m.width)}"


def visible_share(image: Image.Image, background: RGB) -> float:
    """How much of an RGBA image stands out against a background colour, 0–1."""
    return visible_shares(image, (background,))[0]


_LEVELS = np.arange(256, dtype=np.float32)
_COMPOSITE_LUMA: dict[RGB, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _composite_luma(background: RGB) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per channel, a table over (alpha × 256 + level) of the weighted linear light of that
    level composited over ``background`` (the composite rounded down to 8 bits, as an image
    would be): the luminance of any composited pixel is the sum of three look-ups."""
    tables = _COMPOSITE_LUMA.get(background)
    if tables is None:
        if len(_COMPOSITE_LUMA) >= 8:  # 0.75 MB each; the chat themes are the ones that repeat
            _COMPOSITE_LUMA.clear()
        alpha = (_LEVELS / 255.0)[:, None]
        built = []
        for channel in range(3):
            comp = _LEVELS[None, :] * alpha + np.float32(background[channel]) * (1 - alpha)
            level = np.clip(comp, 0, 255).astype(np.uint8)
            built.append((LINEAR[level] * LUMA_WEIGHTS[channel]).ravel())
        tables = _COMPOSITE_LUMA[background] = (built[0], built[1], built[2])
    return tables


def _visible_bounds(background_luminance: float) -> tuple[float, float]:
    """The luminances at or beyond which a colour has VISIBLE_CONTRAST against a background of
    this luminance: (darkest bound, lightest bound), from WCAG's (L1 + 0.05) / (L2 + 0.05)."""
    offset = background_luminance + 0.05
    return offset / VISIBLE_CONTRAST - 0.05, offset * VISIBLE_CONTRAST - 0.05


def visible_shares(image: Image.Image, backgrounds: tuple[RGB, ...]) -> list[float]:
    """``visible_share`` against each background, reading the pixels once."""
    rgba = np.asarray(image if image.mode == "RGBA" else image.convert("RGBA"))
    packed = np.ascontiguousarray(rgba).view("<u4").reshape(-1)  # R | G << 8 | B << 16 | A << 24
    packed = packed[packed >= 1 << 24].astype(np.intp)  # fully transparent pixels weigh nothing
    alpha8 = packed >> 24
    alpha = alpha8.astype(np.float32) / 255.0
    weight = float(alpha.sum())
    if weight < 1e-3:
        return [0.0 for _ in backgrounds]
    base = alpha8 << 8
    index = [base | ((packed >> shift) & 0xFF) for shift in (0, 8, 16)]
    shares = []
    for background in backgrounds:
        red, green, blue = _composite_luma(background)
        lum = red[index[0]] + green[index[1]] + blue[index[2]]
        # Contrast with the background of at least VISIBLE_CONTRAST, as two luminance bounds.
        darker, lighter = _visible_bounds(luminance(background))
        visible = (lum <= darker) | (lum >= lighter)
        share = float(np.dot(alpha, visible)) / weight
        shares.append(min(1.0, share / VISIBLE_SHARE))
    return shares


def _rings(text: SetText, ring_px: int) -> tuple[np.ndarray, bool] | None:
    """The ring of pixels just around the glyphs (a boolean mask over ``fill_mask``), and
    whether the glyphs have any solid interior. Kept with the text's masks: the same words at
    the same size have the same ring."""
    key = ("ring", ring_px)
    masks = text.masks if text.masks is not None and text.masks.fill is text.fill_mask else None
    if masks is not None and key in masks.derived:
        return masks.derived[key]  # type: ignore[return-value]  # derived masks share one value type; this key holds an image
    solid = text.fill_mask.point(SOLID_LUT)
    ring = np.asarray(dilate(solid, ring_px)) > 127
    inside = np.asarray(solid) > 0
    around = ring & ~np.asarray(dilate(solid, 1) if ring_px > 2 else solid).astype(bool)
    result = (around, bool(inside.any())) if around.any() else None
    if masks is not None:
        masks.store(key, result)
    return result


def _surround(text: SetText, canvas: Image.Image, ring_px: int) -> np.ndarray | None:
    """The canvas pixels (N×4, uint8) in the ring around the glyphs, or None if there are none."""
    rings = _rings(text, ring_px)
    if rings is None or not rings[1]:
        return None
    around = rings[0]
    mask = text.fill_mask
    ox, oy = text.mask_origin
    x0, y0 = max(0, ox), max(0, oy)
    x1, y1 = min(canvas.width, ox + mask.width), min(canvas.height, oy + mask.height)
    if x1 <= x0 or y1 <= y0:
        return None
    clip = (x0 - ox, y0 - oy, x1 - ox, y1 - oy)
    key = ("ring-index", ring_px, clip)
    masks = text.masks if text.masks is not None and text.masks.fill is text.fill_mask else None
    found = masks.derived.get(key) if masks is not None else None
    if isinstance(found, np.ndarray):
        index = found
    else:
        index = np.flatnonzero(around[clip[1] : clip[3], clip[0] : clip[2]])
        if masks is not None:
            masks.store(key, index)
    if not len(index):
        return None
    crop = canvas.crop((x0, y0, x1, y1))
    region = np.asarray(crop if crop.mode == "RGBA" else crop.convert("RGBA"))
    return region.reshape(-1, 4)[index]


def _surround_contrast(text: SetText, pixels: np.ndarray | None, background: RGB | None) -> float:
    return _surround_contrasts(text, pixels, (background,))[0]


def _surround_contrasts(
    text: SetText, pixels: np.ndarray | None, backgrounds: tuple[RGB | None, ...]
) -> list[float]:
    """Contrast of the words' fill with the median colour around them, per background."""
    if pixels is None:
        return [GOOD_CONTRAST for _ in backgrounds]
    if int(pixels[:, 3].min()) == 255:
        # Opaque all round (a stroke, or opaque art): no background shows through.
        ratio = contrast_ratio(text.fill, _median_rows(np.ascontiguousarray(pixels[:, :3].T)))  # type: ignore[arg-type]  # NumPy ints as the RGB tuple
        return [ratio for _ in backgrounds]
    planar = pixels.T.astype(np.float32)  # one row per channel
    alpha = planar[3] / 255.0
    clear = 1 - alpha
    rows = np.empty((3 * len(backgrounds), len(alpha)), dtype=np.float32)
    for i, bg in enumerate(backgrounds):
        part = rows[3 * i : 3 * i + 3]
        np.multiply(planar[:3], alpha, out=part)
        part += np.asarray(bg if bg is not None else (0, 0, 0), dtype=np.float32)[:, None] * clear
    medians = _median_rows(rows)
    return [contrast_ratio(text.fill, medians[3 * i : 3 * i + 3]) for i in range(len(backgrounds))]  # type: ignore[arg-type]  # NumPy ints as RGB


def _median_rows(rows: np.ndarray) -> tuple[int, ...]:
    """``int(np.median(row))`` of each row. A sort is much faster here than np.median's
    partition (and than its overhead on small arrays); 8-bit rows sort by radix."""
    n = rows.shape[1]
    ordered = np.sort(rows, axis=1, kind="stable" if rows.dtype == np.uint8 else None)
    half = n // 2
    if n % 2:
        return tuple(int(v) for v in ordered[:, half])
    low, high = ordered[:, half - 1], ordered[:, half]
    # np.median averages two integers in float64, two floats in their own precision.
    both = low.astype(np.float64) + high if rows.dtype == np.uint8 else low + high
    return tuple(int(v) for v in both / 2)


def text_contrast(text: SetText, canvas: Image.Image, background: RGB | None, ring_px: int) -> float:
    """WCAG contrast between the words' fill and what surrounds the glyphs (stroke or art)."""
    return _surround_contrast(text, _surround(text, canvas, ring_px), background)


def _text_score(ratio: float) -> float:
    return max(0.0, min(1.0, (ratio - 1) / (GOOD_CONTRAST - 1)))


def preview(
    canvas: Image.Image,
    size: tuple[int, int],
    previews: dict[tuple[int, int], Image.Image] | None = None,
) -> Image.Image:
    """``canvas`` as shown at ``size`` (Lanczos), in straight RGBA when it has alpha. An already
    scaled copy of the canvas (a rendition before sharpening, possibly premultiplied) is used
    as is when it has that size, or as the source when it is at least twice as large: the same
    chain the renditions themselves are made by."""
    previews = previews or {}
    shown = previews.get(size)
    if shown is None:
        sources = [
            image for image in previews.values() if image.width >= 2 * size[0] and image.height >= 2 * size[1]
        ]
        source = min(sources, key=lambda image: image.width, default=canvas)
        if source.mode == "RGBA":  # scaled in premultiplied colour, as the renditions are
            source = source.convert("RGBa")
        # Far larger sources are box-averaged part of the way first (Pillow's reducing gap):
        # the same judgement of the small image at a fraction of a wide Lanczos filter's cost.
        shown = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return shown.convert("RGBA") if shown.mode == "RGBa" else shown


def check_legibility(
    spec: PlatformSpec,
    composition: Composition,
    previews: dict[tuple[int, int], Image.Image] | None = None,
) -> list[Check]:
    """Legibility at the platform's display size. ``previews`` may hold the canvas already
    scaled to a size (the renditions, before sharpening), so it is not scaled again."""
    checks: list[Check] = []
    size, size_name = _scale_for(spec)
    master = spec.master
    k = composition.scale
    canvas = composition.image
    factor = size / master.width  # legibility px per master px
    ring_px = max(2, round(k / max(factor, 1e-6)))
    texts = composition.texts

    if spec.family in CHAT_FAMILIES and spec.transparent:
        noun = NOUNS[spec.family]
        small_size = (size, max(1, round(size * master.height / master.width)))
        small = preview(canvas, small_size, previews)
        themes = (("light", CHAT_LIGHT), ("dark", CHAT_DARK))
        backgrounds = tuple(background for _, background in themes)
        subjects = visible_shares(small, backgrounds)
        per_theme = [
            _surround_contrasts(t, _surround(t, canvas, ring_px), backgrounds)
            for t in texts
            if t.label != "tier"
        ]
        for index, ((name, _), subject) in enumerate(zip(themes, subjects, strict=True)):
            worst_text = min((_text_score(ratios[index]) for ratios in per_theme), default=1.0)
            score = min(subject, worst_text)
            ok = score >= LEGIBLE
            if ok:
                message = f"Reads well at {size_name} on {name} chat."
            elif worst_text < subject:
                message = f"The text will be hard to read at {size_name} on {name} chat."
            else:
                fix = "light" if name == "dark" else "dark"
                message = (
                    f"At {size_name} on {name} chat the {noun} nearly disappears: its colours are "
                    f"too close to the background. A {fix} outline or brighter colours would help."
                )
            checks.append(
                verdict(
                    f"legibility_{name}",
                    ok,
                    message,
                    severity="warning",
                    value=round(score, 2),
                    limit=LEGIBLE,
                )
            )
    elif texts:
        ring = max(2, ring_px) if spec.legibility_px else None
        scores = []
        for t in texts:
            ratio = text_contrast(
                t, canvas, None if not spec.transparent else (0, 0, 0), ring or max(2, round(t.size * 0.08))
            )
            scores.append((t, _text_score(ratio), ratio))
        worst_t, worst, ratio = min(scores, key=lambda item: item[1])
        ok = worst >= LEGIBLE
        label = "headline" if worst_t.label in ("headline", "title", "text") else worst_t.label
        message = (
            "The text stands out clearly from the art."
            if ok
            else (
                f"The {label} will be hard to read: its colour is too close to what is behind it "
                f"(contrast {ratio:.1f}:1)."
            )
        )
        checks.append(
            verdict("legibility", ok, message, severity="warning", value=round(worst, 2), limit=LEGIBLE)
        )

    if spec.legibility_px:
        for t in texts:
            if not t.primary:
                continue
            cap_height = t.size * 0.7 / k * factor
            ok = cap_height >= MIN_CAP_HEIGHT_PX
            label = {"headline": "headline", "title": "title", "text": "text"}.get(t.label, t.label)
            checks.append(
                verdict(
                    "text_size",
                    ok,
                    f"The {label} is {cap_height:.0f} px tall at {size_name}.",
                    f"The {label} is only {cap_height:.0f} px tall at {size_name}: fewer or "
                    "shorter words would read better.",
                    severity="warning",
                    value=round(cap_height, 1),
                    limit=MIN_CAP_HEIGHT_PX,
                )
            )
    return checks
