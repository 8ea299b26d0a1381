"""Byte ranges of a stored file (``Range: bytes=a-b``): what browsers ask for to play a video.

Safari will not play a ``<video>`` whose server ignores ``Range``. S3 answers ranges itself;
files the app serves from local storage get a single range here (206 with ``Content-Range``,
416 when it starts past the end). Several ranges in one request are answered with the whole
file, which HTTP allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def header(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class Unsatisfiable(Exception):
    """The range starts past the end of the file (416)."""


def requested(header: str, size: int) -> ByteRange | None:
    """The one range ``header`` asks for within ``size`` bytes; None: the whole file."""
    found = RANGE.match(header.strip()) if header else None
    if found is None or size <= 0:
        return None
    first, last = found.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start >= size:
        raise Unsatisfiable
    if end < start:
        return None
    return ByteRange(start, end)


class Slice:
    """A file object read from ``start`` for ``length`` bytes, then closed with its file."""

    def __init__(self, file: IO[bytes], start: int, length: int) -> None:
        file.seek(start)
        self.file, self.left = file, length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.file.close()
