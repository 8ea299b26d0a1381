"""Post-processing: every rendition from the composed master, sharpened when small.

A canvas composed at an exact multiple of a rendition's size (small assets are drawn at twice
their size) is resolved to it with a box average: the supersampling's own antialiasing, at a
tenth of a Lanczos filter's cost. Other renditions are scaled with Lanczos, each from the
nearest already-made image at least twice its size (the 28 px emote from the 56 px one), which
looks the same as scaling from the master and costs a fraction. Transparent images are scaled
and sharpened in premultiplied colour (Pillow's ``RGBa``), converted once at the start of the
chain rather than by every resize, so transparent edges do not grow halos. The unsharpened
pixels are handed on, so the legibility check judges the same pixels without scaling the
canvas again.
"""

from __future__ import annotations

from PIL import Image, ImageChops, ImageFilter

from platforms.types import PlatformSpec

from .paint import min_alpha

SHARPEN_AT_OR_BELOW = 56  # px: chat-sized files lose crispness when downscaled; sharpen them


UNSHARP = ImageFilter.UnsharpMask(radius=0.6, percent=70, threshold=1)


def sharpen_small(image: Image.Image) -> Image.Image:
    """An unsharp mask on premultiplied colour, so transparent edges do not grow halos.

    ``image`` may be RGBA or already premultiplied (``RGBa``); colour and alpha are sharpened
    together in one pass, colour is clamped to its alpha (premultiplied colour cannot exceed
    it, and the filter's overshoot would otherwise leave colour in fully transparent pixels)
    and divided back out. Returns RGBA (or the input's mode when it has no alpha).
    """
    if image.mode not in ("RGBA", "RGBa"):
        return image.filter(UNSHARP)
    premultiplied = image if image.mode == "RGBa" else image.convert("RGBa")
    sharp = premultiplied.filter(UNSHARP)
    alpha = sharp.getchannel(3)
    return ImageChops.darker(sharp, Image.merge("RGBa", (alpha, alpha, alpha, alpha))).convert("RGBA")


def finalise_mode(image: Image.Image, spec: PlatformSpec, background: tuple[int, int, int]) -> Image.Image:
    """RGBA for transparent assets; RGB (flattened onto the brand background) for the rest."""
    if spec.transparent:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    if image.mode == "RGBA":
        if min_alpha(image) < 255:
            base = Image.new("RGBA", image.size, (*background, 255))
            base.alpha_composite(image)
            image = base
        return image.convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def resolve(canvas: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``canvas`` at ``size``: a box average when the canvas is an exact whole multiple of it
    (the supersampled work canvas), Lanczos otherwise."""
    if canvas.size == size:
        return canvas
    factor = canvas.width // size[0]
    if factor >= 2 and canvas.size == (size[0] * factor, size[1] * factor):
        return canvas.reduce(factor)
    return canvas.resize(size, Image.Resampling.LANCZOS)


def make_renditions(
    master: Image.Image,
    spec: PlatformSpec,
    background: tuple[int, int, int],
    previews: dict[tuple[int, int], Image.Image] | None = None,
) -> list[Image.Image]:
    """One image per rendition, largest first.

    Each is scaled (Lanczos) from the smallest image already made that is at least twice its
    size (before sharpening), or resolved from the composed master: the 28 px emote comes from
    the 56 px one rather than from the 224 px canvas, for a fraction of the cost and the same
    look. ``previews``, when given, receives each rendition's scaled pixels before sharpening
    and mode changes (what the legibility check judges; premultiplied ``RGBa`` for transparent
    assets), so they are not scaled again.
    """
    out = []
    premultiplied: Image.Image | None = None  # the master as RGBa, made on first use
    sources: list[Image.Image] = []
    for rendition in spec.renditions:
        size = (rendition.width, rendition.height)
        if master.size == size:
            scaled = master
        else:
            source = next(
                (
                    image
                    for image in reversed(sources)
                    if image.width >= 2 * rendition.width and image.height >= 2 * rendition.height
                ),
                None,
            )
            if source is None:
                if premultiplied is None:
                    premultiplied = master.convert("RGBa") if master.mode == "RGBA" else master
                scaled = resolve(premultiplied, size)
            else:
                scaled = source.resize(size, Image.Resampling.LANCZOS)
            sources.append(scaled)
        small = max(rendition.width, rendition.height) <= SHARPEN_AT_OR_BELOW
        if previews is not None:
            previews[scaled.size] = scaled
        if small:
            image = sharpen_small(scaled)
        else:
            image = scaled.convert("RGBA") if scaled.mode == "RGBa" else scaled
        image = finalise_mode(image, spec, background)
        image.info = {}
        out.append(image)
    return out
