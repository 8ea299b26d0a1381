"""Checks for images creators upload: by content, byte size and pixel count, never the name."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

# Formats a creator may upload as a raster image. SVG is not among them on purpose: it is a
# document that can carry script, so it is refused rather than served.
ACCEPTED_IMAGE_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP", "GIF": "GIF"}


def _formats_sentence() -> str:
    return ", ".join(ACCEPTED_IMAGE_FORMATS.values())


def open_uploaded_image(upload: UploadedFile, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """Open an uploaded image safely and return it fully decoded, or raise ValidationError.

    The file's own bytes decide its type; decompression bombs (too many pixels for their
    bytes) are refused before decoding.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"That file is {upload.size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB."
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip().startswith((b"<svg", b"<?xml", b"<!DOCTYPE svg")):
        raise ValidationError(f"SVG files are not accepted. Upload a {_formats_sentence()} image.")
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(f"That file is larger than {max_bytes / 1_048_576:.0f} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_IMAGE_FORMATS:
                raise ValidationError(
                    f"That file is not a supported image. Upload a {_formats_sentence()} image."
                )
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"That image is {width}×{height} pixels; the limit is "
                    f"{max_pixels / 1_000_000:.0f} megapixels."
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"That image has too many pixels; the limit is {max_pixels / 1_000_000:.0f} megapixels."
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            f"That file is not a readable image. Upload a {_formats_sentence()} image."
        ) from None
    except (OSError, SyntaxError, ValueError):
        # Truncated or corrupt data that Pillow only notices while decoding.
        raise ValidationError("That image is damaged or incomplete. Try exporting it again.") from None
    return image
