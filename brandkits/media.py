"""Creator media: the creator's own images (a face photo, a mascot, game art, an extra logo)
to put into what they generate.

An upload gets the same checks as a brand-kit logo (``logos.process_logo``: type by content,
size and pixel limits, decompression bombs, EXIF orientation, metadata dropped). Then it is
prepared for compositing once, here, so every asset made with it is the same:

- already transparent (a mascot PNG): kept as it is, trimmed to its content;
- on one flat colour (a sticker-style export): cut out of that colour and trimmed;
- anything else (a photo): kept whole; the engine frames it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image

from . import logos

CUTOUT = "cutout"
PHOTO = "photo"


@dataclass(frozen=True)
class PreparedMedia:
    image_png: bytes  # what the engine composites: a trimmed cut-out, or the whole photo
    kind: str  # CUTOUT or PHOTO
    width: int  # of image_png
    height: int


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def prepare_media(upload: UploadedFile) -> PreparedMedia:
    """Check an upload and prepare it for compositing; ValidationError (plain words) when bad."""
    try:
        processed = logos.process_logo(upload)
    except ValidationError as error:
        # The logo checks, in words about the creator's image rather than a logo.
        raise ValidationError(
            [message.replace("logos", "images").replace("logo", "image") for message in error.messages]
        ) from None
    if processed.has_transparency:
        png, kind = processed.trimmed_png, CUTOUT
    elif processed.flat_background:
        cut = logos.remove_background(processed.original_png)
        again = logos.process_logo(SimpleUploadedFile("media.png", cut, content_type="image/png"))
        png, kind = again.trimmed_png, CUTOUT
    else:
        png, kind = processed.original_png, PHOTO
    width, height = _size(png)
    return PreparedMedia(image_png=png, kind=kind, width=width, height=height)
