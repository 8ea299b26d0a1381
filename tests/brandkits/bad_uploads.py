"""Hostile and broken upload files, built in memory, for logo and font upload tests.

``bad_image_uploads()`` and ``bad_font_uploads()`` give files that must be refused, each with a
fragment of the message the creator sees. ``sanitised_image_uploads()`` gives files that are
accepted because their pixels are a real image, but carry something (HTML after the PNG's
end, script in a text chunk, GPS in EXIF) that must not survive into what is stored.

Every call builds fresh ``SimpleUploadedFile`` objects (they are read, so they are not shared);
the bytes themselves are built once per test run.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

Case = tuple[str, SimpleUploadedFile, str]
SanitisedCase = tuple[str, SimpleUploadedFile, bytes]

SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"


# --- builders -------------------------------------------------------------------------------


def png_bytes(size: tuple[int, int] = (64, 48), color: str = "#7C3AED", mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, color if mode != "1" else 0)
    if mode in ("RGB", "RGBA"):
        ImageDraw.Draw(image).ellipse(
            (size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), "#FFFFFF"
        )
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def with_chunk_after_header(png: bytes, chunk: bytes) -> bytes:
    """Insert a chunk right after IHDR (8-byte signature + 25-byte IHDR chunk)."""
    return png[:33] + chunk + png[33:]


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), exif: Image.Exif | None = None, comment: bytes = b""
) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "#F43F5E")
    ImageDraw.Draw(image).rectangle((8, 8, size[0] // 2, size[1] // 2), "#22D3EE")
    options: dict[str, object] = {"quality": 90}
    if exif is not None:
        options["exif"] = exif
    if comment:
        options["comment"] = comment
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def build_font(
    chars: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    *,
    fs_type: int = 0,
    family: str = "Corpus Sans",
    style: str = "Regular",
    weight: int = 400,
) -> bytes:
    """A small but complete TrueType font whose glyphs are boxes, one per character."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", *(f"uni{ord(ch):04X}" for ch in chars)]
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((50, 0))
        pen.lineTo((50, 700))
        pen.lineTo((550, 700))
        pen.lineTo((550, 0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(ch): f"uni{ord(ch):04X}" for ch in chars})
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (600, 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": style})
    builder.setupOS2(
        sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200,
        fsType=fs_type, usWeightClass=weight,
    )  # fmt: skip
    builder.setupPost()
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def roboto_bytes() -> bytes:
    import font_roboto

    return (Path(font_roboto.__file__).parent / "files" / "Roboto-Bold.ttf").read_bytes()


def source_sans_otf_bytes() -> bytes:
    import font_source_sans_pro

    return (Path(font_source_sans_pro.__file__).parent / "files" / "SourceSansPro-Regular.otf").read_bytes()


# --- the corpus -----------------------------------------------------------------------------


@cache
def _bad_images() -> tuple[tuple[str, str, bytes, str, str], ...]:
    """(id, file name, bytes, declared content type, expected message fragment)."""
    png = png_bytes()
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 MP in ~20 kB: Pillow's bomb limit
    too_many = io.BytesIO()
    Image.new("1", (8_000, 5_100)).save(too_many, format="PNG")  # 40.8 MP: over our limit only
    gif, bmp, tiff = io.BytesIO(), io.BytesIO(), io.BytesIO()
    Image.new("P", (32, 32), 1).save(gif, format="GIF")
    Image.new("RGB", (32, 32), "#7C3AED").save(bmp, format="BMP")
    Image.new("RGB", (32, 32), "#7C3AED").save(tiff, format="TIFF")
    jpeg = jpeg_bytes()
    scan = jpeg.index(b"\xff\xda")
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9" height="9"/></svg>'
    )
    return (
        ("decompression-bomb", "bomb.png", bomb.getvalue(), "image/png", "megapixels"),
        ("too-many-pixels", "huge.png", too_many.getvalue(), "image/png", "megapixels"),
        ("too-many-bytes", "big.png", png + bytes(11 * 1024 * 1024), "image/png", "the limit is 10 MB"),
        ("truncated-png", "cut.png", png[: len(png) // 2], "image/png", "damaged or incomplete"),
        ("svg-with-script", "logo.svg", svg, "image/svg+xml", "SVG logos are not accepted"),
        ("svg-named-png", "logo.png", svg, "image/png", "SVG logos are not accepted"),
        (
            "svg-after-comment",
            "logo.png",
            b"\xef\xbb\xbf<!-- made by hand -->\n" + svg,
            "image/png",
            "SVG logos are not accepted",
        ),
        (
            "text-named-png",
            "notes.png",
            b"just some notes, not a picture\n",
            "image/png",
            "not a PNG, JPEG or WebP",
        ),
        ("html-named-png", "page.png", HTML, "image/png", "not a PNG, JPEG or WebP"),
        ("zero-bytes", "empty.png", b"", "image/png", "That file is empty"),
        ("gif-logo", "logo.gif", gif.getvalue(), "image/gif", "GIF images are not accepted"),
        ("gif-named-png", "logo.png", gif.getvalue(), "image/png", "GIF images are not accepted"),
        ("bmp", "logo.bmp", bmp.getvalue(), "image/bmp", "BMP images are not accepted"),
        ("tiff", "logo.tiff", tiff.getvalue(), "image/tiff", "TIFF images are not accepted"),
        (
            "heic",
            "IMG_0001.heic",
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
            "image/heic",
            "HEIC and AVIF images are not accepted",
        ),
        (
            "jpeg-corrupt-body",
            "logo.jpg",
            jpeg[: scan + 40] + b"\x00" * 7,
            "image/jpeg",
            "damaged or incomplete",
        ),
        (
            # Starts as a PNG (signature + IHDR) and continues as an HTML page.
            "polyglot-png-header-html",
            "logo.png",
            png[:33] + HTML,
            "image/png",
            "damaged or incomplete",
        ),
        (
            # iCCP profile that inflates to 50 MB: Pillow refuses over MAX_TEXT_CHUNK.
            "png-iccp-bomb",
            "logo.png",
            with_chunk_after_header(
                png, png_chunk(b"iCCP", b"p\x00\x00" + zlib.compress(bytes(50_000_000), 9))
            ),
            "image/png",
            "damaged or incomplete",
        ),
        (
            "png-ztxt-bomb",
            "logo.png",
            with_chunk_after_header(
                png, png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 50_000_000, 9))
            ),
            "image/png",
            "damaged or incomplete",
        ),
        (
            "png-bad-crc",
            "logo.png",
            png[:29] + bytes([png[29] ^ 0xFF]) + png[30:],  # the first byte of IHDR's CRC flipped
            "image/png",
            # The shared opener's wording, with the logo formats (no GIF) in its advice.
            "not a readable image. Upload your logo as a PNG, JPEG or WebP image.",
        ),
    )


@cache
def _sanitised_images() -> tuple[tuple[str, str, bytes, str, bytes], ...]:
    """(id, file name, bytes, content type, bytes that must not be in anything stored)."""
    png = png_bytes()
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x0110] = "SpyCam 3000"  # Model
    exif[0x0131] = "SecretEditor 1.0"  # Software
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 40.0)}  # GPS
    return (
        ("png-html-after-iend", "logo.png", png + HTML, "image/png", SCRIPT),
        (
            "png-text-chunk-html",
            "logo.png",
            with_chunk_after_header(png, png_chunk(b"tEXt", b"Comment\x00" + HTML)),
            "image/png",
            SCRIPT,
        ),
        ("jpeg-exif-gps", "photo.jpg", jpeg_bytes(exif=exif), "image/jpeg", b"SpyCam"),
        ("jpeg-comment-html", "logo.jpg", jpeg_bytes(comment=HTML), "image/jpeg", SCRIPT),
    )


@cache
def _bad_fonts() -> tuple[tuple[str, str, bytes, str, str], ...]:
    roboto = roboto_bytes()
    # The table directory starts at byte 12: 16 bytes a table (tag, checksum, offset, length).
    scrambled = bytearray(roboto)
    for entry in range(12, 12 + 16 * 6, 16):
        scrambled[entry + 8 : entry + 12] = struct.pack(">I", len(roboto) + 1000)
    ttc = io.BytesIO()
    woff = io.BytesIO()
    from fontTools.ttLib import TTCollection, TTFont

    collection = TTCollection()
    collection.fonts = [
        TTFont(io.BytesIO(build_font(family="One"))),
        TTFont(io.BytesIO(build_font(family="Two"))),
    ]
    collection.save(ttc)
    web = TTFont(io.BytesIO(build_font()))
    web.flavor = "woff"
    web.save(woff)
    png = png_bytes()
    return (
        (
            "ttf-magic-then-garbage",
            "brand.ttf",
            b"\x00\x01\x00\x00" + bytes(range(256)) * 8,
            "font/ttf",
            "damaged",
        ),
        ("truncated-ttf", "brand.ttf", roboto[:4000], "font/ttf", "damaged"),
        ("scrambled-table-offsets", "brand.ttf", bytes(scrambled), "font/ttf", "damaged"),
        ("ttf-tables-otto-magic", "brand.otf", b"OTTO" + roboto[4:], "font/otf", "damaged"),
        ("woff", "brand.woff", woff.getvalue(), "font/woff", "WOFF"),
        ("woff2", "brand.woff2", b"wOF2\x00\x01\x00\x00" + bytes(200), "font/woff2", "WOFF"),
        ("ttc", "brand.ttc", ttc.getvalue(), "font/collection", "TTC"),
        (
            "exe-named-ttf",
            "brand.ttf",
            b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120) + b"PE\x00\x00",
            "font/ttf",
            "not a font",
        ),
        ("zip-named-otf", "brand.otf", b"PK\x03\x04" + bytes(100), "font/otf", "not a font"),
        ("png-named-ttf", "brand.ttf", png, "font/ttf", "not a font"),
        ("html-named-ttf", "brand.ttf", HTML, "font/ttf", "not a font"),
        ("zero-bytes", "brand.ttf", b"", "font/ttf", "That file is empty"),
        ("no-basic-latin", "digits.ttf", build_font("0123456789"), "font/ttf", "missing basic Latin"),
        (
            "restricted-licence",
            "locked.ttf",
            build_font(fs_type=0x0002),
            "font/ttf",
            "licence does not allow",
        ),
        (
            "too-large",
            "huge.ttf",
            b"\x00\x01\x00\x00" + bytes(5 * 1024 * 1024),
            "font/ttf",
            "5.1 MB; the limit is 5 MB",
        ),
    )


def _uploads(rows: tuple[tuple[str, str, bytes, str, str], ...]) -> list[Case]:
    return [
        (case, SimpleUploadedFile(name, data, content_type=kind), fragment)
        for case, name, data, kind, fragment in rows
    ]


def bad_image_uploads() -> list[Case]:
    """Image files a logo upload must refuse: (id, upload, fragment of the message shown)."""
    return _uploads(_bad_images())


def bad_font_uploads() -> list[Case]:
    """Font files a font upload must refuse: (id, upload, fragment of the message shown)."""
    return _uploads(_bad_fonts())


def sanitised_image_uploads() -> list[SanitisedCase]:
    """Image files accepted as logos, with bytes that must not survive: (id, upload, forbidden)."""
    return [
        (case, SimpleUploadedFile(name, data, content_type=kind), forbidden)
        for case, name, data, kind, forbidden in _sanitised_images()
    ]
