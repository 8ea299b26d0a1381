"""Poses into pixels: the still design's layers drawn at every moment of one loop.

The composer keeps the words on a layer of their own (``Composition.words``); the art layer
is everything else (the subject, its outline, the logo, an overlay's frame). Each frame poses
both (an affine move in premultiplied alpha, so edges keep their colour), shifts hues, ripples,
clips the words for a typewriter, and draws the effects (glints, confetti) in the brand's
colours. Everything random comes from the seed; the same inputs give the same frames.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from platforms.types import MotionSpec, PlatformSpec, Rect

from ..canvas import Composition
from ..colors import RGB, hex_to_rgb
from ..postprocess import resolve
from ..types import BrandSnapshot, Motion, Tweaks
from .animations import Animation, Pose, Scene


@dataclass(frozen=True)
class Layers:
    """The still design taken apart, at the work size."""

    art: Image.Image  # RGBA
    words: Image.Image  # RGBA, transparent where there are no words
    word_boxes: tuple[Rect, ...]  # work pixels, in reading order
    characters: int  # letters in the words (a typewriter types one at a time)
    colours: tuple[RGB, ...]  # the brand's colours, for effects
    holes: tuple[Rect, ...]  # master pixels that stay transparent in every frame (overlays)
    master: tuple[int, int]
    # An overlay's frame never moves (OBS lines its holes up with the game and the webcam): its
    # art may change colour, the words and effects move.
    fixed: bool = False


@dataclass(frozen=True)
class Timing:
    frames: int
    durations_ms: tuple[int, ...]  # per frame, whole centiseconds (what GIF can store)
    seconds: float  # one loop

    @property
    def fps(self) -> float:
        return self.frames / self.seconds


def layers_of(composition: Composition, spec: PlatformSpec, brand: BrandSnapshot) -> Layers:
    words = composition.words or Image.new("RGBA", composition.image.size, (0, 0, 0, 0))
    palette = brand.palette
    return Layers(
        art=composition.image.convert("RGBA"),
        words=words,
        word_boxes=tuple(text.rect for text in composition.texts),
        characters=sum(len("".join(text.lines).replace(" ", "")) for text in composition.texts),
        colours=tuple(
            hex_to_rgb(c) for c in (palette.primary, palette.secondary, palette.accent, palette.text)
        ),
        holes=spec.transparent_areas,
        master=(spec.master.width, spec.master.height),
        fixed=spec.family == "overlay",
    )


def timing(animation: Animation, motion: Motion, tweaks: Tweaks, rules: MotionSpec) -> Timing:
    """How long one loop lasts and how it is cut into frames, within the platform's limits."""
    speed = max(0.05, motion.speed * tweaks.motion_speed)
    seconds = min(animation.seconds / speed, rules.max_seconds)
    fps = motion.fps or rules.fps
    frames = max(2, min(rules.max_frames, round(seconds * fps)))
    if fps > 50 and frames % 2:
        # Its GIF keeps every other frame, each shown for two: an even count keeps them equal.
        frames -= 1  # (never more frames a second than asked, nor more than the row allows)
    # Frame boundaries on whole centiseconds, so every format plays the same timing; at 60 fps
    # (a WebM's; its GIF keeps every other frame) on whole milliseconds.
    unit = 10 if fps <= 50 else 1
    marks = [round(i * seconds * 1000 / unit / frames) * unit for i in range(frames + 1)]
    durations = tuple(max(unit, b - a) for a, b in itertools.pairwise(marks))
    return Timing(frames=frames, durations_ms=durations, seconds=sum(durations) / 1000)


# --- effects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Glint:
    x: float  # canvas fractions
    y: float
    phase: float  # when in the loop it flashes (0–1)
    size: float  # arm length, a fraction of the canvas's shorter side


@dataclass(frozen=True)
class Piece:
    vx: float
    vy: float
    size: float
    spin: float
    colour: RGB


def glints(layers: Layers, rng: random.Random, count: int = 5) -> tuple[Glint, ...]:
    """Glints on the design's opaque parts (where a shine would catch), spread over the loop."""
    alpha = np.asarray(layers.art.getchannel("A").reduce(4))
    ys, xs = np.nonzero(alpha > 200)
    height, width = alpha.shape
    found = []
    for i in range(count):
        if len(xs):
            k = rng.randrange(len(xs))
            x, y = (xs[k] + 0.5) / width, (ys[k] + 0.5) / height
        else:
            x, y = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)
        found.append(
            Glint(x=x, y=y, phase=(i / count + rng.uniform(0, 0.1)) % 1, size=rng.uniform(0.07, 0.11))
        )
    return tuple(found)


def pieces(layers: Layers, rng: random.Random, count: int = 28) -> tuple[Piece, ...]:
    out = []
    for _ in range(count):
        angle = math.radians(rng.uniform(-160, -20))
        speed = rng.uniform(0.7, 1.4)
        out.append(
            Piece(
                vx=math.cos(angle) * speed * 0.6,
                vy=math.sin(angle) * speed,
                size=rng.uniform(0.03, 0.05),
                spin=rng.uniform(-720, 720),
                colour=rng.choice(layers.colours),
            )
        )
    return tuple(out)


def _draw_glints(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], found: tuple[Glint, ...], clock: float
) -> None:
    w, h = size
    side = min(w, h)
    for glint in found:
        age = (clock - glint.phase) % 1.0
        if age > 0.3:
            continue
        shine = math.sin(math.pi * age / 0.3)
        arm, waist = glint.size * side * shine, glint.size * side * shine * 0.22
        cx, cy = glint.x * w, glint.y * h
        points = []
        for i in range(8):
            r = arm if i % 2 == 0 else waist
            a = math.pi / 4 * i
            points.append((cx + r * math.sin(a), cy - r * math.cos(a)))
        draw.polygon(points, fill=(255, 255, 255, round(235 * shine)))


def _draw_confetti(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], found: tuple[Piece, ...], clock: float
) -> None:
    w, h = size
    fade = max(0.0, 1 - clock**3)
    for piece in found:
        x = (0.5 + piece.vx * clock) * w
        y = (0.55 + piece.vy * clock + 1.2 * clock * clock) * h
        half_w, half_h = piece.size * w / 2, piece.size * w / 4
        a = math.radians(piece.spin * clock)
        corners = [(-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h)]
        points = [
            (x + cx * math.cos(a) - cy * math.sin(a), y + cx * math.sin(a) + cy * math.cos(a))
            for cx, cy in corners
        ]
        draw.polygon(points, fill=(*piece.colour, round(255 * fade)))


# --- posing a layer ----------------------------------------------------------------------


def _affine(image: Image.Image, pose: Pose, box: tuple[int, int, int, int]) -> Image.Image:
    """``image`` moved, scaled and turned about the pose's pivot (a point of ``box``, the
    layer's drawn part), edges in premultiplied alpha. Only the drawn part is read and only
    where it lands is drawn: a 720 px alert's words cover a third of its canvas."""
    w, h = image.size
    drawn = image.getbbox()
    if pose.sx < 0.01 or pose.sy < 0.01 or drawn is None:
        return Image.new("RGBA", image.size, (0, 0, 0, 0))
    px = box[0] + pose.pivot[0] * (box[2] - box[0])
    py = box[1] + pose.pivot[1] * (box[3] - box[1])
    tx, ty = pose.dx * w, pose.dy * h
    theta = math.radians(pose.angle)
    cos, sin = math.cos(theta), math.sin(theta)
    # Output pixel q comes from input P + S⁻¹R⁻¹(q − P − T).
    a, b = cos / pose.sx, -sin / pose.sx
    d, e = sin / pose.sy, cos / pose.sy
    ox, oy = px + tx, py + ty
    c = px - (a * ox + b * oy)
    f = py - (d * ox + e * oy)
    # Where the drawn part lands: its corners mapped forward (q = M⁻¹(x − (c, f))), a little
    # wider for the bicubic kernel, within the canvas.
    pad = 3
    x0, y0, x1, y1 = (
        max(0, drawn[0] - pad),
        max(0, drawn[1] - pad),
        min(w, drawn[2] + pad),
        min(h, drawn[3] + pad),
    )
    det = a * e - b * d
    lands = [
        ((e * (x - c) - b * (y - f)) / det, (-d * (x - c) + a * (y - f)) / det)
        for x in (x0, x1)
        for y in (y0, y1)
    ]
    left = max(0, math.floor(min(q[0] for q in lands)) - pad)
    top = max(0, math.floor(min(q[1] for q in lands)) - pad)
    right = min(w, math.ceil(max(q[0] for q in lands)) + pad)
    bottom = min(h, math.ceil(max(q[1] for q in lands)) + pad)
    moved = Image.new("RGBA", image.size, (0, 0, 0, 0))
    if right <= left or bottom <= top:
        return moved
    source = image.crop((x0, y0, x1, y1)).convert("RGBa")
    # The same mapping from the region's pixels into the cropped source's.
    part = source.transform(
        (right - left, bottom - top),
        Image.Transform.AFFINE,
        (a, b, c + a * left + b * top - x0, d, e, f + d * left + e * top - y0),
        resample=Image.Resampling.BICUBIC,
    )
    moved.paste(part.convert("RGBA"), (left, top))
    return moved


def _hue(image: Image.Image, degrees: float) -> Image.Image:
    alpha = image.getchannel("A")
    hsv = np.asarray(image.convert("RGB").convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + round(degrees / 360 * 256)) % 256
    shifted = Image.frombytes("HSV", image.size, hsv.tobytes()).convert("RGB").convert("RGBA")
    shifted.putalpha(alpha)
    return shifted


def _ripple(image: Image.Image, height: float, phase: float) -> Image.Image:
    pixels = np.asarray(image)
    h, w = pixels.shape[:2]
    x = np.arange(w)
    offsets = np.round(height * h * np.sin(2 * np.pi * (x / w * 1.2 - phase))).astype(int)
    rows = (np.arange(h)[:, None] - offsets[None, :]).clip(0, h - 1)
    return Image.fromarray(np.ascontiguousarray(pixels[rows, x[None, :]]))


def _reveal(
    image: Image.Image, boxes: tuple[Rect, ...], scale: float, share: float, characters: int
) -> Image.Image:
    """The words shown up to ``share`` of their letters, box after box, left to right."""
    if share >= 1 or not boxes:
        return image
    steps = max(1, characters)
    share = math.floor(share * steps) / steps
    total = sum(box.width for box in boxes)
    shown = share * total
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    for box in boxes:
        width = min(box.width, shown)
        shown -= width
        if width > 0:
            x0, y0 = box.x * scale, box.y * scale
            draw.rectangle((x0, y0, x0 + width * scale - 1, y0 + box.height * scale - 1), fill=255)
    clipped = Image.new("RGBA", image.size, (0, 0, 0, 0))
    clipped.paste(image, (0, 0), mask)
    return clipped


def _posed(image: Image.Image, pose: Pose, box: tuple[int, int, int, int]) -> Image.Image:
    if pose.hue:
        image = _hue(image, pose.hue)
    if pose.ripple:
        image = _ripple(image, pose.ripple, pose.ripple_phase)
    if (pose.dx, pose.dy, pose.sx, pose.sy, pose.angle) != (0.0, 0.0, 1.0, 1.0, 0.0):
        image = _affine(image, pose, box)
    if pose.opacity < 1:
        alpha = image.getchannel("A").point(lambda v: round(v * max(0.0, pose.opacity)))
        image = image.copy()
        image.putalpha(alpha)
    return image


# --- frames ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """An animation settled for one asset: its scenes and its effects, the same at every size."""

    scenes: tuple[Scene, ...]
    glints: tuple[Glint, ...]
    pieces: tuple[Piece, ...]


def plan(
    layers: Layers, animation: Animation, motion: Motion, tweaks: Tweaks, steps: Timing, seed: int
) -> Plan:
    rng = random.Random(f"{seed}:{animation.key}")  # noqa: S311 - motion variation, not security
    amount = max(0.0, motion.amount * tweaks.motion_amount)
    found_glints, found_pieces = glints(layers, rng), pieces(layers, rng)
    scenes = []
    clock = 0
    for duration in steps.durations_ms:
        t = clock / (steps.seconds * 1000)
        moment = random.Random(f"{seed}:{animation.key}:{round(t, 4)}")  # noqa: S311 - motion, not security
        scenes.append(animation.pose(t, amount, moment))
        clock += duration
    return Plan(scenes=tuple(scenes), glints=found_glints, pieces=found_pieces)


def render_frames(layers: Layers, motion_plan: Plan, size: tuple[int, int]) -> list[Image.Image]:
    """Every frame of the loop at ``size`` (RGBA)."""
    art, words = resolve(layers.art, size), resolve(layers.words, size)
    scale = size[0] / layers.art.width
    whole = (0, 0, size[0], size[1])
    art_box = art.getbbox() or whole
    words_box = words.getbbox()
    has_words = words_box is not None
    holes = [_scaled(hole, size[0] / layers.master[0]) for hole in layers.holes]
    fine = 2 if max(size) <= 512 else 1  # effects drawn larger and reduced, for smooth edges
    frames = []
    for scene in motion_plan.scenes:
        pose = Pose(hue=scene.art.hue) if layers.fixed else scene.art
        frame = _posed(art, pose, art_box)
        if frame is art:  # nothing moved it: draw on a copy, never on the layer itself
            frame = art.copy()
        if has_words:
            posed_words = _reveal(words, layers.word_boxes, scale, scene.words.reveal, layers.characters)
            frame.alpha_composite(_posed(posed_words, scene.words, words_box or whole))
        if scene.sparkle is not None or scene.confetti is not None:
            frame.alpha_composite(_effects(scene, motion_plan, size, fine))
        if holes:
            _punch(frame, holes)
        frames.append(frame)
    return frames


def _effects(scene: Scene, motion_plan: Plan, size: tuple[int, int], fine: int) -> Image.Image:
    big = (size[0] * fine, size[1] * fine)
    layer = Image.new("RGBA", big, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    if scene.sparkle is not None:
        _draw_glints(draw, big, motion_plan.glints, scene.sparkle)
    if scene.confetti is not None:
        _draw_confetti(draw, big, motion_plan.pieces, scene.confetti)
    return layer.reduce(fine) if fine > 1 else layer


def _scaled(rect: Rect, k: float) -> Rect:
    return Rect(round(rect.x * k), round(rect.y * k), round(rect.width * k), round(rect.height * k))


def _punch(frame: Image.Image, holes: list[Rect]) -> None:
    alpha = frame.getchannel("A")
    draw = ImageDraw.Draw(alpha)
    for r in holes:
        draw.rectangle((r.x, r.y, r.x + r.width - 1, r.y + r.height - 1), fill=0)
    frame.putalpha(alpha)
