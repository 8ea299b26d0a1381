"""The engine's entry point: one platform asset from a brief, a brand and a seed.

prompting        build the art prompt and the request            → 10 %
rendering        the provider makes text-free art; the engine   → 60 %
                 composes it with the brand's words and logo
post_processing  renditions, sharpening, byte-cap fitting       → 90 %
validating       sizes, bytes, transparency, safe zones,        → 100 %
                 legibility
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PIL import Image

from platforms.types import PlatformSpec

from .artwork import work_size
from .canvas import Composition
from .colors import hex_to_rgb
from .compose import compose
from .file_checks import check_file
from .fit import encode
from .layout import extract_on_image_text, layout_variant, understood
from .motion.render import animate
from .postprocess import make_renditions, resolve
from .prompt import build_art_prompt
from .types import (
    ArtRequest,
    BrandSnapshot,
    Brief,
    ImageProvider,
    ProgressCallback,
    RenderedFile,
    RenderError,
    RenderResult,
    Stage,
)
from .validate import check_asset

__all__ = ["RenderError", "build_art_prompt", "extract_on_image_text", "render_asset"]


def _no_progress(stage: Stage, percent: int) -> None:
    return None


def render_asset(
    *,
    spec: PlatformSpec,
    brief: Brief,
    brand: BrandSnapshot,
    seed: int,
    provider: ImageProvider,
    on_progress: ProgressCallback | None = None,
    previous_image_png: bytes | None = None,
) -> RenderResult:
    """Make every file ``spec`` asks for. Raises ProviderError (art) or RenderError (engine).

    ``previous_image_png``: for a refine, the image being changed (an image model edits it; the
    local engine redraws from the same seed with the brief's tweaks)."""
    report = on_progress or _no_progress
    composition, provider_name, model, prompt = _compose(
        spec, brief, brand, seed, provider, previous_image_png, report
    )
    if spec.motion is not None:
        return _animated(spec, brief, brand, seed, composition, report, (provider_name, model, prompt))

    previews: dict[tuple[int, int], Image.Image] = {}
    files = encode_files(spec, composition, hex_to_rgb(brand.palette.background), previews)
    report("post_processing", 90)

    checks = [*check_asset(spec, composition, previews)]
    for file in files:
        checks.extend(file.checks)
    report("validating", 100)
    return RenderResult(
        files=tuple(files),
        checks=tuple(checks),
        provider=provider_name,
        model=model,
        placements=tuple(composition.placements),
        prompt=prompt,
    )


def _animated(
    spec: PlatformSpec,
    brief: Brief,
    brand: BrandSnapshot,
    seed: int,
    composition: Composition,
    report: ProgressCallback,
    made_by: tuple[str, str, str],
) -> RenderResult:
    """An animated asset: the still checked as a still (safe zone, legibility), then moved."""
    moving = animate(spec, brief, brand, composition, seed)
    report("post_processing", 90)
    still = dataclasses.replace(composition, image=composition.flattened(), words=None)
    previews: dict[tuple[int, int], Image.Image] = {}
    make_renditions(still.image, spec, hex_to_rgb(brand.palette.background), previews)
    checks = [*check_asset(spec, still, previews), *moving.checks]
    report("validating", 100)
    provider_name, model, prompt = made_by
    return RenderResult(
        files=moving.files,
        checks=tuple(checks),
        provider=provider_name,
        model=model,
        placements=tuple(composition.placements),
        prompt=prompt,
        motion=moving.motion,
    )


def _compose(
    spec: PlatformSpec,
    brief: Brief,
    brand: BrandSnapshot,
    seed: int,
    provider: ImageProvider,
    previous_image_png: bytes | None,
    report: ProgressCallback,
) -> tuple[Composition, str, str, str]:
    """The art from the provider, composed with the brand: (composition, provider, model, prompt)."""
    # The composition is settled once, so the art and the words agree on it.
    brief = dataclasses.replace(
        brief, layout=understood(spec, brief, brand, seed).layout, variant=layout_variant(seed)
    )
    art_brand = accent_brand(brand) if brief.tweaks.accent_art else brand
    prompt = build_art_prompt(spec, brief, art_brand)
    width, height = work_size(spec)
    request = ArtRequest(
        spec=spec,
        brief=brief,
        brand=art_brand,
        seed=seed,
        width=width,
        height=height,
        previous_image_png=previous_image_png,
    )
    report("prompting", 10)

    report("rendering", 15)
    paint = in_process_painter(provider)
    if getattr(provider, "accepts_references", False):
        # The model drew the creator's images into the art itself: don't paste them again.
        brief = dataclasses.replace(brief, references=())
    apart = spec.motion is not None  # animated: the words on their own layer, to move apart
    if paint is not None:
        composition = compose(
            spec=spec, brief=brief, brand=brand, art_image=paint(request), words_apart=apart
        )
        provider_name, model = provider.name, provider.model
    else:
        art = provider.generate(request)
        composition = compose(spec=spec, brief=brief, brand=brand, art_png=art.image_png, words_apart=apart)
        provider_name, model = art.provider, art.model
    report("rendering", 60)
    return composition, provider_name, model, prompt


def render_preview(
    *, spec: PlatformSpec, brief: Brief, brand: BrandSnapshot, seed: int, provider: ImageProvider
) -> Image.Image:
    """The composed master canvas at the master size, without making, fitting or checking the
    files: what a preview shows, in a fraction of a full render's time."""
    composition, *_ = _compose(spec, brief, brand, seed, provider, None, _no_progress)
    return resolve(composition.flattened(), (spec.master.width, spec.master.height))


def text_area(
    *, spec: PlatformSpec, brief: Brief, brand: BrandSnapshot, seed: int, provider: ImageProvider
) -> int:
    """How much of the asset the words take (master pixels²), from the composition alone: what
    a text-size change can be measured by."""
    composition, *_ = _compose(spec, brief, brand, seed, provider, None, _no_progress)
    return sum(p.rect.width * p.rect.height for p in composition.placements if p.kind == "text")


def accent_brand(brand: BrandSnapshot) -> BrandSnapshot:
    """The brand with its accent as the main colour, for art painted "in the accent colour"."""
    palette = brand.palette
    swapped = dataclasses.replace(
        palette, primary=palette.accent, secondary=palette.accent, accent=palette.primary
    )
    return dataclasses.replace(brand, palette=swapped)


def in_process_painter(provider: ImageProvider) -> Callable[[ArtRequest], Image.Image] | None:
    """A provider's ``paint(request) -> Image`` when it has one that matches its ``generate``.

    An in-process provider (the local one) can hand over its image directly: the same pixels
    as its ``generate()`` PNG, without encoding and decoding a full-size PNG in between. A
    subclass that overrides ``generate`` (to wrap, slow down or fail it) is always called
    through ``generate``, so the override is honoured.
    """
    paint = getattr(provider, "paint", None)
    if not callable(paint):
        return None
    mro = type(provider).__mro__
    paint_owner = next((cls for cls in mro if "paint" in vars(cls)), None)
    generate_owner = next((cls for cls in mro if "generate" in vars(cls)), None)
    return paint if paint_owner is generate_owner else None


def encode_files(
    spec: PlatformSpec,
    composition: Composition,
    background: tuple[int, int, int],
    previews: dict[tuple[int, int], Image.Image] | None = None,
) -> list[RenderedFile]:
    """Every rendition, encoded in the platform's preferred format within its byte cap.

    ``previews`` receives the scaled renditions before sharpening, for the legibility check."""
    fmt = spec.formats[0]
    files = []
    images = make_renditions(composition.image, spec, background, previews)
    for rendition, image in zip(spec.renditions, images, strict=True):
        encoded = encode(image, fmt, byte_cap=spec.byte_cap, label=rendition.label)
        file = RenderedFile(
            label=rendition.label,
            width=rendition.width,
            height=rendition.height,
            format=encoded.format,
            data=encoded.data,
        )
        files.append(
            RenderedFile(
                label=file.label,
                width=file.width,
                height=file.height,
                format=file.format,
                data=file.data,
                checks=check_file(file, spec, rendition),
            )
        )
    if not files:  # pragma: no cover - the registry requires at least one rendition
        raise RenderError("The platform spec lists no files to make.")
    return files
