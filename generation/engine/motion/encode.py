"""Animated files for the platforms: GIF, APNG, animated WebP and WebM (VP9 with alpha), each
fitted under a byte cap by a ladder of plainer settings that never changes the frames, their size
or their timing, and read back for tests and previews.

Each ladder starts at the best-looking setting and goes down only while the file is over the cap;
each step runs its fastest encoder setting first, and a slower one that packs the same picture
smaller (a few times the time, not the slowest there is) only when the fast file is over, and not
hopelessly so. ``containers`` writes GIF, APNG and WebP around frames Pillow codes; PyAV (FFmpeg's
libvpx-vp9) writes WebM, bit-exact, so the same frames always give the same bytes.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, TypeVar

import av
import numpy as np
from PIL import Image

from .containers import apng_file, gif_file, webp_file

if TYPE_CHECKING:
    from av.container import OutputContainer

ANIMATED_FORMATS = ("GIF", "APNG", "WEBP", "WEBM")
FORMAT_NAMES = {"GIF": "GIF", "APNG": "APNG", "WEBP": "WebP", "WEBM": "WebM"}
PALETTE_COLOURS = (256, 128, 64, 32)
WEBP_QUALITIES = (90, 80, 70, 60, 50, 40)
WEBM_CRFS = (24, 32, 40, 48, 56)
# The slower settings pack at most about three times smaller: a fast file further over the cap
# than this goes straight to the next step.
MORE_EFFORT_REACH = 4
# GIF transparency is on or off: a pixel less than half opaque becomes a hole.
GIF_OPAQUE_FROM = 128
# Browsers play a GIF delay under 2 cs (20 ms) at 100 ms.
GIF_SHORTEST_CS = 2
# Opaque pixels enough to choose a GIF palette from (every n-th pixel beyond that).
GIF_PALETTE_SAMPLE = 1_000_000
# A fixed count, so a file does not depend on the machine's cores.
WEBM_THREADS = 2
MILLISECOND = Fraction(1, 1000)
EBML_SIGNATURE = b"\x1aE\xdf\xa3"
_HOLE_LUT = [255] * GIF_OPAQUE_FROM + [0] * (256 - GIF_OPAQUE_FROM)
_OPAQUE_LUT = [255 - value for value in _HOLE_LUT]

RGB = tuple[int, int, int]
T = TypeVar("T")


@dataclass(frozen=True)
class EncodedAnimation:
    format: str  # one of ANIMATED_FORMATS
    data: bytes
    frames: int
    duration_ms: int  # one loop, as the file stores it
    steps: tuple[str, ...]  # what the fit tried, in order; the last is what the file is


@dataclass(frozen=True)
class DecodedAnimation:
    format: str
    frames: tuple[Image.Image, ...]  # RGBA, as a player shows them
    durations_ms: tuple[int, ...]
    loop: int | None  # plays (0 = forever); None for WebM, which has no loop field


class EncodeError(Exception):
    """The animation cannot be made to fit without changing its frames or size; the message is
    for the creator."""


@dataclass(frozen=True)
class _Animation:
    frames: tuple[Image.Image, ...]
    durations_ms: tuple[int, ...]
    loop: int
    keep: tuple[RGB, ...]
    fps: int

    @property
    def size(self) -> tuple[int, int]:
        return self.frames[0].size


@dataclass(frozen=True)
class _Step:
    label: str
    fast: Callable[[], bytes]
    smaller: Callable[[], bytes] | None = None


def encode_animation(
    frames: Sequence[Image.Image],
    durations_ms: Sequence[int],
    fmt: str,
    *,
    loop: int = 0,
    byte_cap: int | None = None,
    keep_colours: Sequence[tuple[int, int, int]] = (),
    fps: int = 30,
) -> EncodedAnimation:
    """``frames`` (RGBA, at their final size) as one animated file of ``fmt``, showing each for its
    duration, played ``loop`` times (0 = forever). Over ``byte_cap`` it walks down the format's
    ladder (fewer colours, lossy quality, a higher CRF), each step at its fastest setting first,
    and raises EncodeError when even the last step is too big. ``keep_colours`` stay exact palette
    entries in GIF and palette APNG. GIF stores delays in hundredths of a second (rounded on the
    running total, so the loop keeps its length). WebM has no loop field: the player (a
    ``<video loop>``, OBS's "Loop") repeats it; ``fps`` is its nominal rate for the encoder."""
    animation = _checked(frames, durations_ms, fmt, loop, keep_colours, fps)
    ladders = {"GIF": _gif_steps, "APNG": _apng_steps, "WEBP": _webp_steps, "WEBM": _webm_steps}
    data, steps = _fit(ladders[fmt](animation), byte_cap, fmt)
    duration = sum(_gif_delays(animation.durations_ms)) * 10 if fmt == "GIF" else sum(durations_ms)
    return EncodedAnimation(fmt, data, len(animation.frames), duration, steps)


def _checked(
    frames: Sequence[Image.Image],
    durations_ms: Sequence[int],
    fmt: str,
    loop: int,
    keep: Sequence[tuple[int, int, int]],
    fps: int,
) -> _Animation:
    if fmt not in ANIMATED_FORMATS:
        raise ValueError(f"unknown animated format {fmt!r}")
    if not frames or len(frames) != len(durations_ms):
        raise ValueError("one duration per frame, and at least one frame")
    if any(frame.size != frames[0].size or frame.mode != "RGBA" for frame in frames):
        raise ValueError("frames must be RGBA images of one size")
    if any(not 0 < duration <= 0xFFFF for duration in durations_ms) or loop < 0 or fps <= 0:
        raise ValueError("durations run from 1 to 65535 ms, loop is 0 or more, fps above 0")
    if fmt == "GIF" and min(_gif_delays(durations_ms)) < GIF_SHORTEST_CS:
        raise EncodeError(
            "A GIF can't show frames shorter than 20 ms (browsers slow them down): make the GIF "
            "version at 30 frames a second."
        )
    keep_colours = tuple(dict.fromkeys((int(red), int(green), int(blue)) for red, green, blue in keep))
    return _Animation(tuple(frames), tuple(durations_ms), loop, keep_colours, fps)


def _fit(steps: Sequence[_Step], byte_cap: int | None, fmt: str) -> tuple[bytes, tuple[str, ...]]:
    tried: list[str] = []
    size = 0
    for step in steps:
        tried.append(step.label)
        data = step.fast()
        if byte_cap is None or len(data) <= byte_cap:
            return data, tuple(tried)
        if step.smaller is not None and len(data) <= byte_cap * MORE_EFFORT_REACH:
            tried.append(f"{step.label}, more effort")
            data = step.smaller()
            if len(data) <= byte_cap:
                return data, tuple(tried)
        size = len(data)
    assert byte_cap is not None  # without a cap the first step always fits
    raise EncodeError(
        f"This {FORMAT_NAMES[fmt]} is still {_kb(size)} at the lowest quality we would use, over "
        f"the {_kb(byte_cap)} limit. Try fewer frames, a shorter loop or simpler artwork."
    )


def _kb(size: int) -> str:
    return f"{size / 1024:.0f} KB"


def _once(make: Callable[[], T]) -> Callable[[], T]:
    """``make``'s result, made on the first call only (two steps share one quantisation)."""
    made: list[T] = []

    def get() -> T:
        if not made:
            made.append(make())
        return made[0]

    return get


# GIF: one palette for every frame, its brand colours exact, and an index for the holes.


def _gif_steps(animation: _Animation) -> list[_Step]:
    sample = _once(partial(_opaque_sample, animation.frames))
    return [
        _Step(f"{colours} colours", partial(_gif, animation, sample, colours)) for colours in PALETTE_COLOURS
    ]


def _gif_delays(durations_ms: Sequence[int]) -> list[int]:
    """Centiseconds, rounded on the running total so that the loop keeps its length."""
    marks = [0, *((end + 5) // 10 for end in itertools.accumulate(durations_ms))]
    return [after - before for before, after in itertools.pairwise(marks)]


def _gif(animation: _Animation, sample: Callable[[], np.ndarray], colours: int) -> bytes:
    palette = _gif_palette(sample(), animation.keep, colours)
    hole = len(palette)
    # Padding repeats the first colour: the nearest-colour search keeps the lowest index on a
    # tie, so no pixel is mapped to the hole or past the table.
    mapper = Image.new("P", (1, 1))
    mapper.putpalette([channel for colour in palette + [palette[0]] * (256 - hole) for channel in colour])
    table_size = 1 << max(1, hole.bit_length())  # the colours and the hole, in a power of two
    table = [channel for colour in palette + [palette[0]] * (table_size - hole) for channel in colour]
    indexed, boxes = [], []
    for frame in animation.frames:
        alpha = frame.getchannel("A")
        image = frame.convert("RGB").quantize(palette=mapper, dither=Image.Dither.NONE)
        image.paste(hole, mask=alpha.point(_HOLE_LUT))
        image.putpalette(table)
        indexed.append(image)
        boxes.append(alpha.point(_OPAQUE_LUT).getbbox() or (0, 0, 1, 1))
    delays = _gif_delays(animation.durations_ms)
    return gif_file(indexed, boxes, delays, hole=hole, plays=animation.loop)


def _gif_palette(sample: np.ndarray, keep: Sequence[RGB], colours: int) -> list[RGB]:
    """The brand's colours, then the most telling of the rest, leaving one entry for the hole."""
    kept = list(keep[: colours - 2])
    if not len(sample):
        return kept or [(0, 0, 0)]
    # Fast octree: on our art it is both quicker and closer than median cut.
    pixels = Image.fromarray(sample.reshape(1, -1, 3))
    quantized = pixels.quantize(colours - 1 - len(kept), method=Image.Quantize.FASTOCTREE)
    used = int(np.asarray(quantized).max()) + 1
    flat = quantized.getpalette() or []
    return kept + [(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, used * 3, 3)]


def _opaque_sample(frames: Sequence[Image.Image]) -> np.ndarray:
    """Up to about GIF_PALETTE_SAMPLE opaque pixels, an even share from every frame, reading one
    frame at a time (a 1080p overlay's frames are never all copied at once)."""
    share = max(1, GIF_PALETTE_SAMPLE // max(1, len(frames)))
    parts = []
    for frame in frames:
        array = np.asarray(frame)
        opaque = array[array[..., 3] >= GIF_OPAQUE_FROM][:, :3]
        parts.append(opaque[:: max(1, len(opaque) // share)])
    return np.concatenate(parts) if parts else np.empty((0, 3), dtype=np.uint8)


# APNG: lossless RGBA, then one palette with alpha for every frame (APNG has a single PLTE).


def _apng_steps(animation: _Animation) -> list[_Step]:
    lossless = partial(_apng, animation, lambda: animation.frames)
    steps = [_Step("lossless", partial(lossless, 1), partial(lossless, 6))]
    for colours in PALETTE_COLOURS:
        indexed = partial(_apng, animation, _once(partial(_apng_indexed, animation, colours)))
        steps.append(_Step(f"{colours} colours", partial(indexed, 1), partial(indexed, 6)))
    return steps


def _apng(animation: _Animation, frames: Callable[[], Sequence[Image.Image]], level: int) -> bytes:
    return apng_file(frames(), animation.durations_ms, plays=animation.loop, level=level)


def _apng_indexed(animation: _Animation, colours: int) -> tuple[Image.Image, ...]:
    """The frames quantised together (as one tall image, so they share the palette); the brand's
    colours are entries of their own for the pixels that are exactly them. The whole animation
    is in memory twice over: APNG is for stickers, not full-screen overlays."""
    width, height = animation.size
    mosaic = Image.new("RGBA", (width, height * len(animation.frames)))
    for index, frame in enumerate(animation.frames):
        mosaic.paste(frame, (0, index * height))
    pixels = np.array(mosaic)
    pixels *= pixels[..., 3:] > 0  # every invisible colour is one entry
    keep = animation.keep[: colours - 1]
    chosen = colours - len(keep)
    quantized = Image.fromarray(pixels).quantize(chosen, method=Image.Quantize.FASTOCTREE)
    indices = np.array(quantized)
    palette = (quantized.getpalette("RGBA") or [])[: chosen * 4]
    palette += [0] * (chosen * 4 - len(palette))
    for offset, (red, green, blue) in enumerate(keep):
        indices[(pixels == (red, green, blue, 255)).all(axis=2)] = chosen + offset
        palette += [red, green, blue, 255]
    indexed = Image.frombytes("P", mosaic.size, indices.tobytes())
    indexed.putpalette(palette, "RGBA")
    return tuple(indexed.crop((0, i * height, width, (i + 1) * height)) for i in range(len(animation.frames)))


# WebP: lossless, then lossy with lossless alpha.


def _webp_steps(animation: _Animation) -> list[_Step]:
    webp = partial(webp_file, animation.frames, animation.durations_ms, plays=animation.loop)
    lossless = partial(webp, lossless=True)
    steps = [
        _Step("lossless", partial(lossless, quality=0, method=0), partial(lossless, quality=25, method=2))
    ]
    for quality in WEBP_QUALITIES:
        lossy = partial(webp, lossless=False, quality=quality)
        steps.append(_Step(f"quality {quality}", partial(lossy, method=0), partial(lossy, method=4)))
    return steps


# WebM: VP9 in yuva420p; FFmpeg stores the alpha plane as Matroska BlockAdditional data.


def _webm_steps(animation: _Animation) -> list[_Step]:
    return [
        _Step(f"CRF {crf}", partial(_webm, animation, crf, True), partial(_webm, animation, crf, False))
        for crf in WEBM_CRFS
    ]


def _webm(animation: _Animation, crf: int, realtime: bool) -> bytes:
    width, height = animation.size
    speed = {"deadline": "realtime", "cpu-used": "8"} if realtime else {"deadline": "good", "cpu-used": "2"}
    options = {"crf": str(crf), "b": "0", "row-mt": "1", "auto-alt-ref": "0", **speed}
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm", container_options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libvpx-vp9", rate=animation.fps, options=options)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuva420p"
        stream.codec_context.time_base = MILLISECOND
        stream.codec_context.thread_count = WEBM_THREADS
        starts = [0, *itertools.accumulate(animation.durations_ms)]
        lengths = dict(zip(starts, animation.durations_ms, strict=False))
        for image, start in zip(animation.frames, starts, strict=False):
            rgba = av.VideoFrame.from_ndarray(np.asarray(image), format="rgba")  # from_image drops alpha
            frame = rgba.reformat(format="yuva420p")
            frame.pts, frame.time_base = start, MILLISECOND
            _mux(container, stream.encode(frame), lengths)
        _mux(container, stream.encode(None), lengths)
    return buffer.getvalue()


def _mux(container: OutputContainer, packets: list[av.Packet], lengths: dict[int, int]) -> None:
    """The packets with their frames' own durations (the encoder assumes 1/fps), so the file's
    duration ends where the last frame does."""
    for packet in packets:
        packet.duration = lengths[packet.pts or 0]
        container.mux(packet)


def decode_animation(data: bytes) -> DecodedAnimation:
    """One of our files read back as a player shows it: RGBA frames, their durations and the
    plays (for tests and previews). WebM goes through libvpx's decoder, which keeps the alpha
    plane that FFmpeg's own ``vp9`` decoder drops."""
    if data.startswith(EBML_SIGNATURE):
        return _decode_webm(data)
    with Image.open(io.BytesIO(data)) as image:
        fmt = {"GIF": "GIF", "PNG": "APNG", "WEBP": "WEBP"}[image.format or ""]
        frames, durations = [], []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("RGBA"))
            durations.append(round(image.info.get("duration", 0)))
        loop = image.info.get("loop")
    if fmt == "GIF":  # NETSCAPE2.0 counts repeats, and a GIF without it plays once
        loop = 1 if loop is None else loop and loop + 1
    return DecodedAnimation(fmt, tuple(frames), tuple(durations), int(loop or 0))


def _decode_webm(data: bytes) -> DecodedAnimation:
    decoder = av.CodecContext.create("libvpx-vp9", "r")
    frames: list[Image.Image] = []
    starts: list[int] = []
    with av.open(io.BytesIO(data), "r") as container:
        stream = container.streams.video[0]
        for packet in container.demux(stream):
            if packet.pts is not None and packet.time_base is not None:
                starts.append(round(packet.pts * packet.time_base * 1000))
            frames += [Image.fromarray(frame.to_ndarray(format="rgba")) for frame in decoder.decode(packet)]
        end = round((container.duration or 0) / 1000)  # microseconds
    durations = [after - before for before, after in itertools.pairwise([*starts, end])]
    return DecodedAnimation("WEBM", tuple(frames), tuple(durations), None)
