"""Font uploads: a creator's own brand font, checked before the engine ever sets text in it.

The file's leading bytes decide its type (never its name); fontTools must parse every table we
keep and FreeType (what the engine renders with) must draw basic Latin with it. What is stored
is our own re-serialisation, keeping only known OpenType tables.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import ImageFont

FONT_MAX_BYTES = 5 * 1024 * 1024
FONT_SENTENCE = "Upload a TTF or OTF font file."
BASIC_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

FontFormat = Literal["TTF", "OTF"]

# Tables every font we accept must have, plus its outlines (glyf+loca or CFF/CFF2).
_REQUIRED = ("cmap", "head", "hhea", "hmtx", "maxp", "name")
# Tables we keep; anything else (vendor/private tables, colour SVG documents, a digital
# signature that re-saving would invalidate) is dropped from the stored copy.
_KEPT = frozenset(
    (
        *_REQUIRED,
        "OS/2", "post", "glyf", "loca", "cvt ", "fpgm", "prep", "gasp", "CFF ", "CFF2", "VORG",
        "GDEF", "GPOS", "GSUB", "BASE", "JSTF", "MATH", "kern", "vhea", "vmtx", "hdmx", "LTSH",
        "VDMX", "STAT", "fvar", "gvar", "avar", "HVAR", "VVAR", "MVAR", "cvar", "COLR", "CPAL",
    )
)  # fmt: skip
_FS_TYPE_RESTRICTED = 0x0002  # OS/2 fsType bit 1: "Restricted License embedding"
_FS_TYPE_LESS_RESTRICTIVE = 0x000C  # bits 2–3 (preview & print, editable): the least restrictive wins


@dataclass(frozen=True)
class FontInfo:
    family: str
    style: str  # "Regular", "Bold Italic", …
    weight: int  # OS/2 usWeightClass, 1–1000 (400 regular, 700 bold)
    format: FontFormat
    data: bytes  # the font re-saved by fontTools: what to store

    @property
    def suffix(self) -> str:
        return ".otf" if self.format == "OTF" else ".ttf"


def _sniff(head: bytes) -> FontFormat:
    if head[:4] in (b"\x00\x01\x00\x00", b"true"):
        return "TTF"
    if head[:4] == b"OTTO":
        return "OTF"
    if not head:
        raise ValidationError(f"That file is empty. {FONT_SENTENCE}", code="empty")
    if head[:4] in (b"wOFF", b"wOF2"):
        raise ValidationError(f"Web fonts (WOFF, WOFF2) are not accepted. {FONT_SENTENCE}", code="format")
    if head[:4] == b"ttcf":
        raise ValidationError(f"Font collections (TTC) are not accepted. {FONT_SENTENCE}", code="format")
    raise ValidationError(f"That file is not a font. {FONT_SENTENCE}", code="format")


def _clean_name(value: str | None, fallback: str) -> str:
    """A name-table string safe to show: no control or bidi-override characters, short."""
    text = "".join(ch for ch in value or "" if unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip()[:100]
    return text or fallback


def _file_size(size: int, *, round_up: bool = True) -> str:
    """ "5 MB", "97.6 KB": a file just over a limit rounds up, so it never reads as equal to it."""
    value, unit = (size / 1_048_576, "MB") if size >= 1_048_576 else (size / 1024, "KB")
    tenths = math.ceil(value * 10) if round_up else math.floor(value * 10)
    return f"{tenths / 10:g} {unit}"


def _damaged() -> ValidationError:
    return ValidationError(
        "That font file is damaged or incomplete. Try downloading it again.", code="damaged"
    )


def validate_font(upload: UploadedFile, *, max_bytes: int = FONT_MAX_BYTES) -> FontInfo:
    """Check an uploaded brand font and return what to store about it, or raise ValidationError.

    Refused: anything but a single TTF/OTF by content (WOFF, WOFF2 and TTC included), files
    over ``max_bytes``, fonts fontTools or FreeType cannot read, fonts without A–Z, a–z and
    0–9, and fonts whose OS/2 fsType says "restricted licence embedding".
    """
    from fontTools.ttLib import TTFont  # fontTools is heavy to import; only uploads need it

    limit = _file_size(max_bytes, round_up=False)
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"That font file is {_file_size(upload.size)}; the limit is {limit}.", code="too_large"
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(f"That font file is larger than {limit}.", code="too_large")
    font_format = _sniff(data[:4])

    # fontTools raises whatever the broken bytes lead it to (struct.error, AssertionError,
    # KeyError, TTLibError, …): any failure to parse means a damaged file.
    try:
        font = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=False)
        tags = set(font.keys()) - {"GlyphOrder"}
        outlines = ("glyf", "loca") if font_format == "TTF" else ("CFF ",)
        if font_format == "OTF" and "CFF2" in tags:
            outlines = ("CFF2",)
        if any(tag not in tags for tag in (*_REQUIRED, *outlines)):
            raise _damaged()
        for tag in sorted(tags):
            if tag in _KEPT:
                font[tag]  # decompile now, so a broken table fails here and not in a render
            else:
                del font[tag]
        cmap = font.getBestCmap() or {}
        os2 = font.get("OS/2")  # optional: old Mac TrueType fonts have none
        names = font["name"]
        family = _clean_name(names.getBestFamilyName(), "Uploaded font")
        style = _clean_name(names.getBestSubFamilyName(), "Regular")
        out = io.BytesIO()
        font.save(out)
        saved = out.getvalue()
    except ValidationError:
        raise
    except Exception:
        raise _damaged() from None

    missing = [ch for ch in BASIC_LATIN if ord(ch) not in cmap]
    if missing:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        raise ValidationError(
            f"This font is missing basic Latin letters or digits (A–Z, a–z, 0–9): {shown}.",
            code="missing_glyphs",
        )
    fs_type = int(getattr(os2, "fsType", 0)) if os2 is not None else 0
    if fs_type & _FS_TYPE_RESTRICTED and not fs_type & _FS_TYPE_LESS_RESTRICTIVE:
        raise ValidationError("This font's licence does not allow embedding.", code="licence")

    # The engine draws with FreeType; make sure it can, with our stored copy.
    try:
        rendered = ImageFont.truetype(io.BytesIO(saved), size=48)
        left, top, right, bottom = rendered.getbbox(BASIC_LATIN)
        if right <= left or bottom <= top:
            raise _damaged()
    except ValidationError:
        raise
    except Exception:
        raise _damaged() from None

    weight = int(getattr(os2, "usWeightClass", 400)) if os2 is not None else 400
    return FontInfo(
        family=family,
        style=style,
        weight=min(1000, max(1, weight)),
        format=font_format,
        data=saved,
    )
