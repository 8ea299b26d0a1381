"""The built-in animations: where each layer is at every moment of one loop.

An animation is a pure function of the loop's phase ``t`` (0 ≤ t < 1), the motion's ``amount``
and a seeded random source: it says how the art (the subject, or an overlay's frame), the words
and the effects are posed. ``frames.py`` turns poses into pixels. Every default here passes the
flash check (WCAG 2.3.1) with room to spare; a creator's speed can still take one past it, which
the renderer fixes by slowing it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from platforms.types import PlatformSpec


@dataclass(frozen=True)
class Pose:
    """One layer at one instant, relative to where the still design has it."""

    dx: float = 0.0  # offset, a fraction of the canvas width
    dy: float = 0.0  # offset, a fraction of the canvas height
    sx: float = 1.0  # scale across
    sy: float = 1.0  # scale down
    angle: float = 0.0  # degrees, anticlockwise
    opacity: float = 1.0
    hue: float = 0.0  # degrees around the colour wheel
    reveal: float = 1.0  # share of the words shown, left to right (typewriter)
    ripple: float = 0.0  # a sideways wave's height, a fraction of the canvas height
    ripple_phase: float = 0.0
    pivot: tuple[float, float] = (0.5, 0.5)  # the point that stays put, in the layer's drawn box

    @property
    def still(self) -> bool:
        return self == STILL


STILL = Pose()


@dataclass(frozen=True)
class Scene:
    """Everything posed at one instant: the art, the words and the effects' progress."""

    art: Pose = STILL
    words: Pose = STILL
    sparkle: float | None = None  # the glints' clock (0–1), None: no glints
    confetti: float | None = None  # time since the burst (0–1), None: no confetti


Poser = Callable[[float, float, random.Random], Scene]


@dataclass(frozen=True)
class Animation:
    key: str
    label: str
    description: str
    seconds: float  # one loop at speed 1
    pose: Poser
    # Families it suits: an overlay's holes must stay where they are, so nothing moves its frame.
    families: frozenset[str] = field(default=frozenset({"emote", "icon", "badge", "avatar"}))
    calms: bool = True  # how far it moves follows the motion's amount (spin, rainbow… don't)


def _ease_out(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return 1 - (1 - x) ** 3


def _ease_in_out(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def _follow(pose: Pose, share: float = 0.35) -> Pose:
    """The words' secondary motion: part of the art's, so they stay readable."""
    return replace(
        pose,
        dx=pose.dx * share,
        dy=pose.dy * share,
        sx=1 + (pose.sx - 1) * share,
        sy=1 + (pose.sy - 1) * share,
        angle=pose.angle * share,
    )


# Motions that carry the art away from where the still design has it first make it a little
# smaller, so it never leaves the canvas (an emote's art reaches its edges).
def _room(amount: float, share: float) -> float:
    return 1 - min(0.3, share * amount)


def shake(t: float, amount: float, rng: random.Random) -> Scene:
    # Four shakes a loop, each a little different (seeded), settling at the loop's seam.
    wobble = rng.uniform(0.7, 1.0)
    swing = math.sin(2 * math.pi * 4 * t) * math.sin(math.pi * t) ** 0.5
    room = _room(amount, 0.08)
    art = Pose(
        dx=0.035 * amount * swing * wobble, angle=4.0 * amount * swing, sx=room, sy=room, pivot=(0.5, 0.8)
    )
    return Scene(art=art, words=_follow(art, 0.25))


def bounce(t: float, amount: float, rng: random.Random) -> Scene:
    height = abs(math.sin(math.pi * t))
    squash = max(0.0, 1 - height * 6) * 0.12 * amount  # squashed as it lands and takes off
    room = _room(amount, 0.14)
    lift = 0.07 * amount
    art = Pose(dy=lift - 2 * lift * height, sx=room * (1 + squash), sy=room * (1 - squash), pivot=(0.5, 0.95))
    return Scene(art=art, words=_follow(art))


def spin(t: float, amount: float, rng: random.Random) -> Scene:
    # A little smaller, so a turned subject's corners stay on the canvas.
    return Scene(art=Pose(angle=-360.0 * t, sx=0.84, sy=0.84))


def pulse(t: float, amount: float, rng: random.Random) -> Scene:
    # A heartbeat: two beats, then rest.
    beat = math.exp(-(((t - 0.12) / 0.06) ** 2)) + 0.7 * math.exp(-(((t - 0.32) / 0.06) ** 2))
    grow = _room(amount, 0.12) + 0.12 * amount * beat
    art = Pose(sx=grow, sy=grow)
    return Scene(art=art, words=_follow(art, 0.5))


def wave(t: float, amount: float, rng: random.Random) -> Scene:
    room = _room(amount, 0.1)
    art = Pose(
        ripple=0.035 * amount,
        ripple_phase=t,
        angle=3.0 * amount * math.sin(2 * math.pi * t),
        sx=room,
        sy=room,
    )
    return Scene(art=art)


def pop_in(t: float, amount: float, rng: random.Random) -> Scene:
    # Grows from nothing past its size and settles, holds, then shrinks away before the loop.
    if t < 0.3:
        x = t / 0.3
        grow = _ease_out(x) + 0.18 * amount * math.sin(math.pi * x) * (1 - x)
    elif t < 0.9:
        grow = 1.0
    else:
        grow = 1 - _ease_in_out((t - 0.9) / 0.1)
    grow = max(grow, 0.02) * _room(amount, 0.1)
    art = Pose(sx=grow, sy=grow, opacity=min(1.0, grow * 2))
    words = Pose(sx=grow, sy=grow, opacity=min(1.0, grow * 2), pivot=(0.5, 0.8))
    return Scene(art=art, words=words)


def jelly(t: float, amount: float, rng: random.Random) -> Scene:
    wobble = math.sin(2 * math.pi * 2 * t) * (1 - t) ** 0.5
    room = _room(amount, 0.12)
    art = Pose(
        sx=room * (1 + 0.12 * amount * wobble), sy=room * (1 - 0.12 * amount * wobble), pivot=(0.5, 0.95)
    )
    return Scene(art=art, words=_follow(art))


def rainbow(t: float, amount: float, rng: random.Random) -> Scene:
    return Scene(art=Pose(hue=360.0 * t))


def sparkle(t: float, amount: float, rng: random.Random) -> Scene:
    return Scene(sparkle=t)


def slide_in(t: float, amount: float, rng: random.Random) -> Scene:
    if t < 0.3:
        dx = -1.1 * (1 - _ease_out(t / 0.3))
    elif t < 0.85:
        dx = 0.0
    else:
        dx = 1.1 * _ease_in_out((t - 0.85) / 0.15)
    return Scene(words=Pose(dx=dx))


def typewriter(t: float, amount: float, rng: random.Random) -> Scene:
    return Scene(words=Pose(reveal=min(1.0, t / 0.6)))


def confetti(t: float, amount: float, rng: random.Random) -> Scene:
    hop = math.exp(-((t / 0.08) ** 2))  # the subject jumps as it bursts
    grow = _room(amount, 0.08) + 0.08 * amount * hop
    art = Pose(sx=grow, sy=grow, pivot=(0.5, 0.9))
    return Scene(art=art, words=_follow(art), confetti=t)


EVERYWHERE = frozenset({"emote", "icon", "badge", "avatar", "overlay"})

ANIMATIONS: dict[str, Animation] = {
    a.key: a
    for a in (
        Animation("bounce", "Bounce", "Hops and lands with a squash.", 1.0, bounce),
        Animation("shake", "Shake", "A quick rage shake that settles.", 1.0, shake),
        Animation(
            "spin", "Spin", "The subject turns a full circle; the words stay still.", 1.6, spin, calms=False
        ),
        Animation("pulse", "Heartbeat", "Two beats and a rest.", 1.2, pulse),
        Animation("wave", "Wave", "Ripples like a flag in the wind.", 1.2, wave),
        Animation("pop_in", "Pop in", "Pops up from nothing, holds, and pops away.", 1.6, pop_in),
        Animation("jelly", "Jelly", "Squashes and stretches like jelly.", 1.0, jelly),
        Animation(
            "rainbow",
            "Rainbow",
            "The subject's colours cycle round the rainbow.",
            2.0,
            rainbow,
            EVERYWHERE,
            calms=False,
        ),
        Animation(
            "sparkle", "Sparkle", "Glints twinkle across the design.", 1.6, sparkle, EVERYWHERE, calms=False
        ),
        Animation(
            "slide_in",
            "Slide-in text",
            "The words slide in, hold and slide out.",
            2.0,
            slide_in,
            EVERYWHERE,
            calms=False,
        ),
        Animation(
            "typewriter",
            "Typewriter text",
            "The words type themselves out.",
            2.4,
            typewriter,
            EVERYWHERE,
            calms=False,
        ),
        Animation(
            "confetti",
            "Confetti burst",
            "A burst of confetti in the brand's colours.",
            1.6,
            confetti,
            EVERYWHERE,
        ),
    )
}

DEFAULT = "bounce"


def suits(animation: Animation, spec: PlatformSpec) -> bool:
    return spec.family in animation.families


def choices(spec: PlatformSpec) -> list[Animation]:
    """The animations an asset type offers, in the order creators see them."""
    return [animation for animation in ANIMATIONS.values() if suits(animation, spec)]


def default_for(spec: PlatformSpec) -> str:
    return DEFAULT if suits(ANIMATIONS[DEFAULT], spec) else "sparkle"
