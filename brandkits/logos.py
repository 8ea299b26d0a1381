"""Logo uploads: checked, cleaned, trimmed, and (on request) cut out of a flat background.

Everything here works on bytes and Pillow images; storing the results is the services' job.
A processed logo is always re-encoded by us, so nothing from the uploaded file other than its
pixels survives: no EXIF (camera, GPS), no text chunks, no data appended after the image.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageCms, ImageOps

from aurastream.uploads import ACCEPTED_IMAGE_FORMATS, open_uploaded_image
from core.colors import rgb_to_hex

LOGO_MAX_BYTES = 10 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000
# The largest canvas the engine renders is a 2560×1440 banner: a bigger logo only costs storage
# and memory, so the stored original is scaled down to fit this.
LOGO_MAX_SIDE = 2560
LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
TRIM_MARGIN = 0.06  # transparent margin around the trimmed logo, as a share of its longer side
TRIM_ALPHA = 8  # pixels fainter than this (of 255) do not count as content when trimming
FLAT_TOLERANCE = 12  # per-channel spread of a border that still counts as one flat colour
FLAT_BORDER_SHARE = 0.9  # share of the border that must be that colour
DEFAULT_REMOVAL_TOLERANCE = 24

LOGO_FORMATS_SENTENCE = "Upload your logo as a PNG, JPEG or WebP image."
_GENERIC_FORMATS_SENTENCE = f"Upload a {', '.join(ACCEPTED_IMAGE_FORMATS.values())} image."

# Leading bytes of formats people try to upload, so the refusal can name what they sent.
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"%PDF", "PDF"),
)


@dataclass(frozen=True)
class ProcessedLogo:
    original_png: bytes  # the whole logo, re-encoded (orientation applied, metadata gone)
    trimmed_png: bytes  # cropped to its content with a 6% transparent margin: what assets use
    has_transparency: bool
    width: int  # of original_png
    height: int
    flat_background: str | None  # "#RRGGBB" when the logo sits on one flat opaque colour


def _sniff(head: bytes) -> str | None:
    """The logo format the leading bytes belong to, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _refuse_by_signature(head: bytes) -> None:
    if not head:
        raise ValidationError("That file is empty. " + LOGO_FORMATS_SENTENCE, code="empty")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in text:
        raise ValidationError(
            "SVG logos are not accepted. Export your logo as a PNG (ideally with a transparent "
            "background), JPEG or WebP.",
            code="svg",
        )
    for signature, kind in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            raise ValidationError(f"{kind} images are not accepted. {LOGO_FORMATS_SENTENCE}", code="format")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif", b"msf1"):
        raise ValidationError(
            f"HEIC and AVIF images are not accepted. {LOGO_FORMATS_SENTENCE}", code="format"
        )
    if _sniff(head) is None:
        raise ValidationError(
            f"That file is not a PNG, JPEG or WebP image. {LOGO_FORMATS_SENTENCE}", code="format"
        )


def _apply_icc(image: Image.Image) -> Image.Image:
    """The image in sRGB when it carries another colour profile (Display P3, Adobe RGB, CMYK).

    A profile we cannot use is ignored (the pixels are taken as sRGB) rather than refusing a
    logo over metadata.
    """
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(source).lower():
            return image  # already sRGB: converting would only risk off-by-one brand colours
        alpha = None
        base = image
        if image.mode not in ("RGB", "CMYK", "L"):
            rgba = image.convert("RGBA")
            alpha, base = rgba.getchannel("A"), rgba.convert("RGB")
        converted = ImageCms.profileToProfile(base, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        if converted is None:  # pragma: no cover - only when converting in place
            return image
        if alpha is not None:
            converted.putalpha(alpha)
        return converted
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _to_rgba(image: Image.Image) -> np.ndarray:
    """Any decoded logo as an (h, w, 4) uint8 array in sRGB."""
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: keep the top 8 bits, not a clip
        grey = np.clip(np.asarray(image, dtype=np.float64) / 257, 0, 255).round().astype(np.uint8)
        image = Image.fromarray(grey)
    image = _apply_icc(image)
    return np.array(image.convert("RGBA"), dtype=np.uint8)


def _encode_png(pixels: np.ndarray) -> bytes:
    """PNG bytes of an RGBA array: RGB when fully opaque, hidden colour under alpha 0 cleared."""
    pixels = pixels.copy()
    pixels[pixels[..., 3] == 0] = 0
    image = Image.fromarray(pixels)
    if bool((pixels[..., 3] == 255).all()):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _flat_border_colour(pixels: np.ndarray) -> tuple[int, int, int] | None:
    """The colour of a flat, opaque border the logo sits on, or None."""
    h, w = pixels.shape[:2]
    if h < 3 or w < 3:
        return None
    border = np.concatenate([pixels[0], pixels[-1], pixels[1:-1, 0], pixels[1:-1, -1]])
    if (border[:, 3] < 250).mean() > 1 - FLAT_BORDER_SHARE:
        return None
    opaque = border[border[:, 3] >= 250, :3]
    colour = np.median(opaque, axis=0).round().astype(np.int16)
    near = np.abs(opaque.astype(np.int16) - colour).max(axis=1) <= FLAT_TOLERANCE
    if near.mean() < FLAT_BORDER_SHARE:
        return None
    # Only a flat *background*: an image that is all one colour has no logo to cut out.
    distance = np.abs(pixels[..., :3].astype(np.int16) - colour).max(axis=2)
    if not bool(((distance > FLAT_TOLERANCE) & (pixels[..., 3] >= TRIM_ALPHA)).any()):
        return None
    r, g, b = (int(v) for v in colour)
    return (r, g, b)


def _trim_and_pad(pixels: np.ndarray) -> np.ndarray:
    """Crop to the visible content and add a transparent margin of TRIM_MARGIN of the longer side."""
    visible = pixels[..., 3] >= TRIM_ALPHA
    rows, cols = np.flatnonzero(visible.any(axis=1)), np.flatnonzero(visible.any(axis=0))
    if len(rows) == 0:
        raise ValidationError("The logo has nothing visible in it.", code="empty_logo")
    content = pixels[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = content.shape[:2]
    margin = max(1, round(TRIM_MARGIN * max(h, w)))
    out = np.zeros((h + 2 * margin, w + 2 * margin, 4), dtype=np.uint8)
    out[margin : margin + h, margin : margin + w] = content
    return out


def process_logo(upload: UploadedFile) -> ProcessedLogo:
    """Check an uploaded logo and return it re-encoded, trimmed and described.

    Refuses (ValidationError, plain words) anything but a PNG, JPEG or WebP by content, files
    over 10 MB or 40 megapixels, decompression bombs, and damaged files. An animated file
    gives its first frame. A logo larger than LOGO_MAX_SIDE is scaled down to fit.
    """
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    _refuse_by_signature(head)
    try:
        image = open_uploaded_image(upload, max_bytes=LOGO_MAX_BYTES, max_pixels=LOGO_MAX_PIXELS)
    except ValidationError as error:
        # The shared opener invites every image format it accepts, GIF included; a logo
        # upload must not suggest a format it then refuses.
        raise ValidationError(
            [message.replace(_GENERIC_FORMATS_SENTENCE, LOGO_FORMATS_SENTENCE) for message in error.messages]
        ) from None
    if image.format not in LOGO_FORMATS:  # the signature said otherwise: refuse, don't guess
        raise ValidationError(
            f"That file is not a PNG, JPEG or WebP image. {LOGO_FORMATS_SENTENCE}", code="format"
        )
    # Unreadable EXIF: keep the pixels as stored (the EXIF is dropped anyway).
    with contextlib.suppress(OSError, ValueError, SyntaxError, KeyError, TypeError):
        image = ImageOps.exif_transpose(image)
    pixels = _to_rgba(image)
    if max(pixels.shape[:2]) > LOGO_MAX_SIDE:
        scaled = Image.fromarray(pixels)
        scaled.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
        pixels = np.array(scaled, dtype=np.uint8)
    background = _flat_border_colour(pixels)
    return ProcessedLogo(
        original_png=_encode_png(pixels),
        trimmed_png=_encode_png(_trim_and_pad(pixels)),
        has_transparency=bool((pixels[..., 3] < 255).any()),
        width=int(pixels.shape[1]),
        height=int(pixels.shape[0]),
        flat_background=rgb_to_hex(background) if background else None,
    )


# --- Background removal ----------------------------------------------------------------------


def _border_connected(mask: np.ndarray) -> np.ndarray:
    """The pixels of ``mask`` 4-connected to the image border through ``mask``.

    Works on horizontal runs rather than pixels (no SciPy needed, and fast enough for a
    2560-px logo): runs on neighbouring rows that share a column are joined with a vectorised
    union-find, then the runs whose component touches the border are painted back.
    """
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    run_row, run_start = np.nonzero(steps == 1)
    _, run_end = np.nonzero(steps == -1)  # exclusive; same row-major order as the starts
    n = len(run_row)
    if n == 0:
        return np.zeros_like(mask, dtype=bool)

    # Run b on row r+1 touches the runs a on row r with start_a < end_b and end_a > start_b;
    # those are one contiguous slice of the row-major run list, found by binary search.
    stride = w + 1
    start_key = run_row * stride + run_start
    end_key = run_row * stride + run_end
    lower = np.flatnonzero(run_row > 0)
    above = (run_row[lower] - 1) * stride
    first = np.searchsorted(end_key, above + run_start[lower], side="right")
    last = np.searchsorted(start_key, above + run_end[lower], side="left")
    counts = np.maximum(last - first, 0)
    edge_b = np.repeat(lower, counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    edge_a = np.repeat(first, counts) + offsets

    parent = np.arange(n)
    while True:
        root_a, root_b = parent[edge_a], parent[edge_b]
        apart = root_a != root_b
        if not apart.any():
            break
        root_a, root_b = root_a[apart], root_b[apart]
        # Hook the larger root under the smaller one, then flatten every path to its root.
        np.minimum.at(parent, np.maximum(root_a, root_b), np.minimum(root_a, root_b))
        while True:
            flattened = parent[parent]
            if np.array_equal(flattened, parent):
                break
            parent = flattened

    on_border = (run_row == 0) | (run_row == h - 1) | (run_start == 0) | (run_end == w)
    keep = np.isin(parent, np.unique(parent[on_border]))
    marks = np.zeros((h, w + 1), dtype=np.int8)
    marks[run_row[keep], run_start[keep]] = 1
    marks[run_row[keep], run_end[keep]] = -1  # runs never touch, so starts and ends never collide
    return np.cumsum(marks, axis=1, dtype=np.int8)[:, :w] > 0


def _dilate(mask: np.ndarray) -> np.ndarray:
    """``mask`` grown by one pixel in all eight directions."""
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    wide = grown.copy()
    wide[:, 1:] |= grown[:, :-1]
    wide[:, :-1] |= grown[:, 1:]
    return wide


def _soften_edge(
    pixels: np.ndarray, region: np.ndarray, distance: np.ndarray, key: np.ndarray, tolerance: int
) -> None:
    """Give the pixels along the cut a partial alpha, un-mixing the background from their colour.

    An anti-aliased edge pixel is a blend ``alpha·F + (1−alpha)·key`` of the logo colour F
    next to it and the background ``key``. F is taken as the most un-background-like pixel in
    the 5×5 neighbourhood; a pixel that lies on the line from ``key`` to F gets that alpha and
    its colour with the background taken back out. Pixels off that line (a genuinely
    different light colour) stay opaque.
    """
    h, w = region.shape
    band_y, band_x = np.nonzero(_dilate(region) & ~region & (distance > tolerance))
    if len(band_y) == 0:
        return
    step_y, step_x = (
        steps.ravel() for steps in np.meshgrid(np.arange(-2, 3), np.arange(-2, 3), indexing="ij")
    )
    ys = np.clip(band_y[:, None] + step_y[None, :], 0, h - 1)  # (band pixels, 25 neighbours)
    xs = np.clip(band_x[:, None] + step_x[None, :], 0, w - 1)
    candidate = np.where(region[ys, xs], -1, distance[ys, xs])
    best = np.argmax(candidate, axis=1)
    rows = np.arange(len(band_y))
    solid = pixels[ys[rows, best], xs[rows, best], :3].astype(np.float64)
    here = pixels[band_y, band_x, :3].astype(np.float64)
    towards = solid - key
    offset = here - key
    alpha = np.clip((offset * towards).sum(axis=1) / np.maximum((towards**2).sum(axis=1), 1e-9), 0, 1)
    residual = np.sqrt(((offset - alpha[:, None] * towards) ** 2).sum(axis=1))
    blended = (residual <= tolerance) & (alpha < 0.98)
    if not blended.any():
        return
    alpha, offset, solid = alpha[blended], offset[blended], solid[blended]
    by, bx = band_y[blended], band_x[blended]
    unmixed = np.where(alpha[:, None] > 0.05, key + offset / np.maximum(alpha[:, None], 1e-9), solid)
    pixels[by, bx, :3] = np.clip(unmixed, 0, 255).round().astype(np.uint8)
    pixels[by, bx, 3] = (pixels[by, bx, 3] * alpha).round().astype(np.uint8)


def _open_png(png_bytes: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(png_bytes))
            if image.format != "PNG" or image.width * image.height > LOGO_MAX_PIXELS:
                raise ValueError("not one of our logo PNGs")
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("That logo could not be read. Upload it again.", code="unreadable") from None
    return image


def remove_background(png_bytes: bytes, *, tolerance: int = DEFAULT_REMOVAL_TOLERANCE) -> bytes:
    """Make a logo's flat background transparent; return the trimmed, padded PNG.

    The background is flood-filled from the border over pixels within ``tolerance`` (0–255,
    per channel) of the border colour, so the same colour *inside* the logo (the white of an
    eye, the hole of a letter) is kept. The cut edge is softened (see ``_soften_edge``).
    ``png_bytes`` is a ``ProcessedLogo.original_png``.
    """
    if not 0 <= tolerance <= 255:
        raise ValueError("tolerance is a per-channel distance from 0 to 255")
    pixels = _to_rgba(_open_png(png_bytes))
    colour = _flat_border_colour(pixels)
    if colour is None:
        raise ValidationError(
            "This logo does not sit on one flat background colour, so there is nothing to remove.",
            code="no_flat_background",
        )
    key = np.array(colour, dtype=np.int16)
    distance = np.abs(pixels[..., :3].astype(np.int16) - key).max(axis=2)
    region = _border_connected((distance <= tolerance) | (pixels[..., 3] == 0))
    _soften_edge(pixels, region, distance, key.astype(np.float64), tolerance)
    pixels[region] = 0
    if not bool((pixels[..., 3] >= TRIM_ALPHA).any()):
        raise ValidationError(
            "Removing the background would leave nothing of the logo. Try a lower tolerance.",
            code="nothing_left",
        )
    return _encode_png(_trim_and_pad(pixels))
