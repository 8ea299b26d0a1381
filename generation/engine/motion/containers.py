"""The animated containers, written byte by byte around the frames Pillow codes: GIF's blocks,
APNG's chunks and animated WebP's RIFF.

Pillow's and libwebp's own animation writers fold a frame that repeats the one before into it
(adding up their durations), which changes the frame count a platform checks; here every frame
stays a frame. Each frame is stored as the area it changes: GIF clears that area after showing it
("restore to background", so a moving subject leaves no trail) and draws its opaque area; APNG and
WebP draw the area that differs from the frame before, replacing what is there (no blending), so
pixels that turn transparent do.
"""

from __future__ import annotations

import io
import itertools
import struct
import zlib
from collections.abc import Sequence

from PIL import Image, ImageChops

Box = tuple[int, int, int, int]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GIF_RESTORE_BACKGROUND = 2
WEBP_DO_NOT_BLEND = 0b10
WEBP_ALPHA_AND_ANIMATION = 0x12


def change_boxes(frames: Sequence[Image.Image]) -> list[Box]:
    """The whole first frame, then each frame's area that differs from the one before (a single
    pixel where none does: a frame that repeats its predecessor is still a frame)."""
    width, height = frames[0].size
    boxes: list[Box] = [(0, 0, width, height)]
    for before, after in itertools.pairwise(frames):
        if after.mode == "P":  # palette indices, not the colours they name
            before, after = (Image.frombytes("L", image.size, image.tobytes()) for image in (before, after))
        boxes.append(ImageChops.difference(before, after).getbbox(alpha_only=False) or (0, 0, 1, 1))
    return boxes


# GIF


def gif_file(
    indexed: Sequence[Image.Image], boxes: Sequence[Box], delays_cs: Sequence[int], *, hole: int, plays: int
) -> bytes:
    """A GIF of ``indexed`` frames (mode P, one palette of a power-of-two size whose entry ``hole``
    is transparent), each showing its ``boxes`` area for its delay in centiseconds."""
    width, height = indexed[0].size
    table = bytes(indexed[0].getpalette() or [])
    bits = (len(table) // 3).bit_length() - 2
    parts = [b"GIF89a", struct.pack("<HHBBB", width, height, 0x80 | bits << 4 | bits, hole, 0), table]
    parts.append(_gif_plays(plays))
    for frame, box, delay in zip(indexed, boxes, delays_cs, strict=True):
        left, top, right, bottom = box
        control = GIF_RESTORE_BACKGROUND << 2 | 1  # and a transparent index
        parts.append(struct.pack("<BBBBHBB", 0x21, 0xF9, 4, control, delay, hole, 0))
        parts.append(struct.pack("<BHHHHB", 0x2C, left, top, right - left, bottom - top, 0))
        parts.append(_gif_pixels(frame.crop(box)))
    return b"".join([*parts, b"\x3b"])


def _gif_plays(plays: int) -> bytes:
    """NETSCAPE2.0 counts the repeats after the first play; a single play has no block at all."""
    if plays == 1:
        return b""
    repeats = 0 if plays == 0 else plays - 1
    return b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", repeats) + b"\x00"


def _gif_pixels(indexed: Image.Image) -> bytes:
    """One frame's LZW-coded pixels (code size and data sub-blocks), from Pillow's encoder."""
    buffer = io.BytesIO()
    indexed.save(buffer, "GIF", optimize=False, interlace=False)
    data = buffer.getvalue()
    at = 13 + _gif_table_bytes(data[10])
    while data[at] == 0x21:  # extensions before the image
        at = _after_sub_blocks(data, at + 2)
    at += 10 + _gif_table_bytes(data[at + 9])
    return data[at : _after_sub_blocks(data, at + 1)]


def _gif_table_bytes(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _after_sub_blocks(data: bytes, at: int) -> int:
    while data[at]:
        at += data[at] + 1
    return at + 1


# APNG


def apng_file(frames: Sequence[Image.Image], durations_ms: Sequence[int], *, plays: int, level: int) -> bytes:
    """An APNG of ``frames`` (all RGBA, or all P on one palette), deflated at ``level``."""
    width, height = frames[0].size
    parts, sequence = [PNG_SIGNATURE], 0
    boxes = change_boxes(frames)
    for index, (frame, box, duration) in enumerate(zip(frames, boxes, durations_ms, strict=True)):
        chunks = _png_chunks(_png(frame.crop(box), level))
        if index == 0:
            parts.append(_png_chunk(b"IHDR", struct.pack(">II", width, height) + chunks[0][1][8:]))
            parts.append(_png_chunk(b"acTL", struct.pack(">II", len(frames), plays)))
            parts += [_png_chunk(kind, body) for kind, body in chunks if kind in (b"PLTE", b"tRNS")]
        left, top, right, bottom = box
        size = (right - left, bottom - top)
        parts.append(
            _png_chunk(b"fcTL", struct.pack(">5I2H2B", sequence, *size, left, top, duration, 1000, 0, 0))
        )
        sequence += 1
        for body in (body for kind, body in chunks if kind == b"IDAT"):
            if index == 0:  # the first frame is the default image too
                parts.append(_png_chunk(b"IDAT", body))
            else:
                parts.append(_png_chunk(b"fdAT", struct.pack(">I", sequence) + body))
                sequence += 1
    return b"".join([*parts, _png_chunk(b"IEND", b"")])


def _png(image: Image.Image, level: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=level)
    return buffer.getvalue()


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append((kind, data[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# WebP


def webp_file(
    frames: Sequence[Image.Image],
    durations_ms: Sequence[int],
    *,
    plays: int,
    lossless: bool,
    quality: int,
    method: int,
) -> bytes:
    """An animated WebP of RGBA ``frames``; ``method`` is libwebp's effort (0 fastest, 6 smallest)."""
    width, height = frames[0].size
    parts = [
        _riff_chunk(b"VP8X", bytes([WEBP_ALPHA_AND_ANIMATION, 0, 0, 0]) + _u24(width - 1) + _u24(height - 1)),
        _riff_chunk(b"ANIM", struct.pack("<4BH", 0, 0, 0, 0, plays)),
    ]
    for frame, box, duration in zip(frames, change_boxes(frames), durations_ms, strict=True):
        left, top, right, bottom = box[0] & ~1, box[1] & ~1, box[2], box[3]  # offsets are even
        placement = _u24(left // 2) + _u24(top // 2) + _u24(right - left - 1) + _u24(bottom - top - 1)
        image = _webp_image(frame.crop((left, top, right, bottom)), lossless, quality, method)
        parts.append(_riff_chunk(b"ANMF", placement + _u24(duration) + bytes([WEBP_DO_NOT_BLEND]) + image))
    payload = b"WEBP" + b"".join(parts)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def _webp_image(image: Image.Image, lossless: bool, quality: int, method: int) -> bytes:
    """One frame's bitstream chunks (ALPH and VP8, or VP8L) from libwebp through Pillow."""
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", lossless=lossless, quality=quality, method=method, alpha_quality=100)
    data, at, chunks = buffer.getvalue(), 12, []
    while at < len(data):
        size = struct.unpack("<I", data[at + 4 : at + 8])[0]
        end = at + 8 + size + (size & 1)
        if data[at : at + 4] in (b"ALPH", b"VP8 ", b"VP8L"):
            chunks.append(data[at:end])
        at = end
    return b"".join(chunks)


def _riff_chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) & 1)


def _u24(value: int) -> bytes:
    return value.to_bytes(3, "little")
