"""Subject marks for the local provider: simple, bold icon art drawn with Pillow.

Each mark is drawn in unit coordinates (0–1, y down) onto a ``Pen`` that records both the
colours and the silhouette; ``mark_render.render_mark`` then adds a bevel and a bold outline
around the whole silhouette, supersampled for smooth edges. Marks use the brand's colours only
(plus the outline), so the art is on-brand by construction.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from .pen import (
    MarkColors,
    Pen,
    Point,
    bez,
    chain,
    ellipse_pts,
    mirror,
    rotate,
    rrect_pts,
    star_pts,
)

# --- the marks ---------------------------------------------------------------------------

MarkFn = Callable[[Pen, MarkColors, random.Random], None]


def _glint(p: Pen, c: MarkColors, cx: float, cy: float, r: float) -> None:
    p.ellipse(cx, cy, r, r * 0.62, fill=c.rgba(c.light, 230), body=False, angle=-35)


def draw_star(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.poly(star_pts(0.5, 0.54, 0.47, 0.2), c.main)
    p.poly(star_pts(0.5, 0.54, 0.24, 0.1), c.accent, body=False)
    _glint(p, c, 0.4, 0.4, 0.05)


def draw_sparkle(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.poly(star_pts(0.42, 0.56, 0.4, 0.1, points=4), c.main)
    p.poly(star_pts(0.76, 0.24, 0.2, 0.05, points=4), c.accent)
    p.poly(star_pts(0.8, 0.78, 0.12, 0.035, points=4), c.second)
    p.poly(star_pts(0.42, 0.56, 0.17, 0.05, points=4), c.light, body=False)


def draw_heart(p: Pen, c: MarkColors, rng: random.Random) -> None:
    pts = []
    for i in range(96):
        t = 2 * math.pi * i / 96
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((0.5 + x * 0.028, 0.47 - y * 0.028))
    p.poly(pts, c.main)
    inner = [(0.5 + (x - 0.5) * 0.55, 0.47 + (y - 0.47) * 0.55 + 0.04) for x, y in pts]
    p.poly(inner, c.rgba(c.second, 150), body=False)
    _glint(p, c, 0.32, 0.3, 0.075)


def draw_fire(p: Pen, c: MarkColors, rng: random.Random) -> None:
    outer = chain(
        (0.5, 0.97),
        ((0.2, 0.97), (0.1, 0.8), (0.12, 0.62)),
        ((0.13, 0.45), (0.22, 0.35), (0.25, 0.18)),
        ((0.34, 0.28), (0.36, 0.38), (0.38, 0.42)),
        ((0.38, 0.25), (0.46, 0.1), (0.55, 0.02)),
        ((0.58, 0.16), (0.66, 0.26), (0.7, 0.36)),
        ((0.74, 0.32), (0.78, 0.26), (0.8, 0.2)),
        ((0.9, 0.36), (0.92, 0.52), (0.9, 0.64)),
        ((0.88, 0.84), (0.74, 0.97), (0.5, 0.97)),
    )
    p.poly(outer, c.main)
    middle = chain(
        (0.5, 0.95),
        ((0.3, 0.95), (0.22, 0.8), (0.27, 0.64)),
        ((0.31, 0.54), (0.38, 0.5), (0.42, 0.38)),
        ((0.47, 0.48), (0.56, 0.5), (0.6, 0.34)),
        ((0.7, 0.5), (0.78, 0.62), (0.76, 0.74)),
        ((0.74, 0.88), (0.64, 0.95), (0.5, 0.95)),
    )
    p.poly(middle, c.second, body=False)
    core = chain(
        (0.5, 0.94),
        ((0.38, 0.94), (0.34, 0.84), (0.38, 0.74)),
        ((0.42, 0.66), (0.48, 0.64), (0.5, 0.56)),
        ((0.56, 0.64), (0.64, 0.72), (0.63, 0.8)),
        ((0.62, 0.9), (0.56, 0.94), (0.5, 0.94)),
    )
    p.poly(core, c.accent, body=False)


def draw_crown(p: Pen, c: MarkColors, rng: random.Random) -> None:
    body = [(0.12, 0.74), (0.08, 0.3), (0.32, 0.5), (0.5, 0.2), (0.68, 0.5), (0.92, 0.3), (0.88, 0.74)]
    p.poly(body, c.main)
    p.rrect(0.1, 0.68, 0.9, 0.86, 0.04, fill=c.second)
    for x, y in ((0.08, 0.28), (0.5, 0.18), (0.92, 0.28)):
        p.ellipse(x, y, 0.065, fill=c.accent)
    for x in (0.28, 0.5, 0.72):
        p.poly([(x, 0.71), (x + 0.05, 0.77), (x, 0.83), (x - 0.05, 0.77)], c.accent, body=False)
    _glint(p, c, 0.48, 0.16, 0.025)


def draw_skull(p: Pen, c: MarkColors, rng: random.Random) -> None:
    bone = c.light
    p.ellipse(0.5, 0.42, 0.38, 0.36, fill=bone)
    p.rrect(0.3, 0.56, 0.7, 0.9, 0.08, fill=bone)
    for x in (0.35, 0.65):
        p.ellipse(x, 0.46, 0.105, 0.115, fill=c.dark, body=False)
        p.ellipse(x, 0.47, 0.04, fill=c.accent, body=False)
    p.poly([(0.5, 0.57), (0.45, 0.67), (0.55, 0.67)], c.dark, body=False)
    for x in (0.41, 0.5, 0.59):
        p.stroke([(x, 0.76), (x, 0.88)], 0.025, c.dark, body=False, caps=False)


def draw_bolt(p: Pen, c: MarkColors, rng: random.Random) -> None:
    bolt = [(0.6, 0.02), (0.16, 0.56), (0.46, 0.56), (0.36, 0.98), (0.84, 0.4), (0.54, 0.4), (0.7, 0.02)]
    p.poly(bolt, c.main)
    inner = [(0.6, 0.12), (0.3, 0.5), (0.5, 0.5), (0.46, 0.74)]
    p.poly([*inner, (0.52, 0.5)], c.rgba(c.light, 150), body=False)


def draw_trophy(p: Pen, c: MarkColors, rng: random.Random) -> None:
    for side in (1, -1):
        handle = bez(
            (0.5 + side * 0.28, 0.2),
            (0.5 + side * 0.5, 0.2),
            (0.5 + side * 0.48, 0.5),
            (0.5 + side * 0.14, 0.52),
        )
        p.stroke([*handle, (0.5 + side * 0.14, 0.52)], 0.07, c.main)
    cup = chain(
        (0.2, 0.1),
        ((0.4, 0.1), (0.6, 0.1), (0.8, 0.1)),
        ((0.8, 0.42), (0.68, 0.6), (0.5, 0.62)),
        ((0.32, 0.6), (0.2, 0.42), (0.2, 0.1)),
    )
    p.poly(cup, c.main)
    p.rrect(0.44, 0.58, 0.56, 0.76, 0.01, fill=c.main)
    p.rrect(0.3, 0.74, 0.7, 0.86, 0.03, fill=c.second)
    p.rrect(0.24, 0.84, 0.76, 0.95, 0.03, fill=c.second)
    p.poly(star_pts(0.5, 0.33, 0.13, 0.055), c.accent, body=False)
    p.rrect(0.26, 0.14, 0.32, 0.44, 0.03, fill=c.rgba(c.light, 140), body=False)


def draw_cat(p: Pen, c: MarkColors, rng: random.Random) -> None:
    for pts in ([(0.12, 0.5), (0.14, 0.08), (0.44, 0.34)], mirror([(0.12, 0.5), (0.14, 0.08), (0.44, 0.34)])):
        p.poly(pts, c.main)
    p.ellipse(0.5, 0.58, 0.42, 0.36, fill=c.main)
    for pts in ([(0.19, 0.38), (0.2, 0.17), (0.35, 0.32)], mirror([(0.19, 0.38), (0.2, 0.17), (0.35, 0.32)])):
        p.poly(pts, c.second, body=False)
    for x in (0.34, 0.66):
        p.ellipse(x, 0.56, 0.075, 0.095, fill=c.dark, body=False)
        p.ellipse(x + 0.025, 0.53, 0.028, fill=c.light, body=False)
    p.poly([(0.46, 0.66), (0.54, 0.66), (0.5, 0.71)], c.second, body=False)
    p.stroke(
        [*bez((0.4, 0.72), (0.43, 0.78), (0.49, 0.77), (0.5, 0.72)), (0.5, 0.72)], 0.018, c.dark, body=False
    )
    p.stroke(
        [*bez((0.5, 0.72), (0.51, 0.77), (0.57, 0.78), (0.6, 0.72)), (0.6, 0.72)], 0.018, c.dark, body=False
    )
    for y, dy in ((0.66, -0.03), (0.72, 0.02)):
        p.stroke([(0.16, y), (0.3, y - dy)], 0.014, c.dark, body=False)
        p.stroke([(0.84, y), (0.7, y - dy)], 0.014, c.dark, body=False)
    p.ellipse(0.27, 0.68, 0.05, 0.03, fill=c.rgba(c.second, 160), body=False)
    p.ellipse(0.73, 0.68, 0.05, 0.03, fill=c.rgba(c.second, 160), body=False)


def draw_ghost(p: Pen, c: MarkColors, rng: random.Random) -> None:
    top = ellipse_pts(0.5, 0.42, 0.36, 0.36, n=48, a0=180, a1=360)
    bottom: list[Point] = []
    for i in range(61):
        x = 0.86 - 0.72 * i / 60
        bottom.append((x, 0.86 + 0.06 * math.sin(i / 60 * 3 * 2 * math.pi)))
    p.poly([*top, (0.86, 0.42), *bottom, (0.14, 0.42)], c.light)
    for x in (0.38, 0.62):
        p.ellipse(x, 0.44, 0.06, 0.085, fill=c.dark, body=False)
        p.ellipse(x + 0.018, 0.41, 0.02, fill=c.light, body=False)
    p.ellipse(0.5, 0.6, 0.05, 0.06, fill=c.dark, body=False)
    p.ellipse(0.28, 0.55, 0.055, 0.032, fill=c.rgba(c.main, 190), body=False)
    p.ellipse(0.72, 0.55, 0.055, 0.032, fill=c.rgba(c.main, 190), body=False)
    p.poly(star_pts(0.84, 0.16, 0.1, 0.03, points=4), c.accent)


def draw_moon(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.ellipse(0.45, 0.52, 0.4, fill=c.main)
    p.cut(ellipse_pts(0.62, 0.4, 0.33, 0.33))
    p.ellipse(0.25, 0.58, 0.05, fill=c.rgba(c.dark, 70), body=False)
    p.ellipse(0.34, 0.78, 0.035, fill=c.rgba(c.dark, 70), body=False)
    p.poly(star_pts(0.76, 0.66, 0.14, 0.04, points=4), c.accent)
    p.poly(star_pts(0.86, 0.3, 0.08, 0.025, points=4), c.light)


def draw_controller(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.ellipse(0.24, 0.64, 0.16, 0.2, fill=c.main, angle=25)
    p.ellipse(0.76, 0.64, 0.16, 0.2, fill=c.main, angle=-25)
    p.rrect(0.08, 0.3, 0.92, 0.68, 0.16, fill=c.main)
    p.rrect(0.18, 0.44, 0.36, 0.5, 0.01, fill=c.dark, body=False)
    p.rrect(0.24, 0.38, 0.3, 0.56, 0.01, fill=c.dark, body=False)
    for (x, y), col in zip(
        ((0.7, 0.39), (0.78, 0.47), (0.62, 0.47), (0.7, 0.55)),
        (c.accent, c.second, c.light, c.accent),
        strict=True,
    ):
        p.ellipse(x, y, 0.04, fill=col, body=False)
    p.rrect(0.44, 0.4, 0.56, 0.44, 0.02, fill=c.rgba(c.dark, 180), body=False)


def draw_sword(p: Pen, c: MarkColors, rng: random.Random) -> None:
    def r(points: Sequence[Point]) -> list[Point]:
        return rotate(points, 45)

    p.poly(r([(0.5, 0.0), (0.58, 0.1), (0.58, 0.62), (0.42, 0.62), (0.42, 0.1)]), c.light)
    p.poly(r([(0.5, 0.06), (0.5, 0.6), (0.45, 0.6), (0.45, 0.12)]), c.rgba(c.dark, 45), body=False)
    p.poly(r(rrect_pts(0.26, 0.6, 0.74, 0.69, 0.04)), c.main)
    p.poly(r(rrect_pts(0.45, 0.68, 0.55, 0.88, 0.02)), c.second)
    p.poly(r(ellipse_pts(0.5, 0.92, 0.065, 0.065)), c.accent)


def draw_music(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.ellipse(0.28, 0.78, 0.15, 0.11, fill=c.main, angle=-20)
    p.ellipse(0.74, 0.7, 0.15, 0.11, fill=c.main, angle=-20)
    p.poly([(0.36, 0.78), (0.43, 0.78), (0.43, 0.22), (0.36, 0.24)], c.main)
    p.poly([(0.82, 0.7), (0.89, 0.7), (0.89, 0.12), (0.82, 0.14)], c.main)
    p.poly([(0.36, 0.22), (0.89, 0.1), (0.89, 0.26), (0.36, 0.38)], c.second)
    _glint(p, c, 0.22, 0.74, 0.04)
    _glint(p, c, 0.68, 0.66, 0.04)


def draw_coffee(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.ellipse(0.74, 0.6, 0.17, 0.16, fill=c.main)
    p.cut(ellipse_pts(0.75, 0.6, 0.08, 0.075))
    p.rrect(0.14, 0.38, 0.74, 0.92, 0.1, fill=c.main)
    p.ellipse(0.44, 0.4, 0.3, 0.06, fill=c.second, body=False)
    heart = []
    for i in range(48):
        t = 2 * math.pi * i / 48
        heart.append(
            (
                0.44 + 16 * math.sin(t) ** 3 * 0.007,
                0.66
                - (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)) * 0.007,
            )
        )
    p.poly(heart, c.accent, body=False)
    for x in (0.32, 0.46, 0.6):
        wave = [*bez((x, 0.3), (x - 0.06, 0.24), (x + 0.06, 0.16), (x, 0.08)), (x, 0.08)]
        p.stroke(wave, 0.045, c.light)


def draw_rocket(p: Pen, c: MarkColors, rng: random.Random) -> None:
    def r(points: Sequence[Point]) -> list[Point]:
        return rotate(points, 40)

    p.poly(r([(0.36, 0.62), (0.2, 0.82), (0.22, 0.62), (0.36, 0.5)]), c.second)
    p.poly(r([(0.64, 0.62), (0.8, 0.82), (0.78, 0.62), (0.64, 0.5)]), c.second)
    flame = chain(
        (0.4, 0.74), ((0.42, 0.86), (0.46, 0.9), (0.5, 1.0)), ((0.54, 0.9), (0.58, 0.86), (0.6, 0.74))
    )
    p.poly(r(flame), c.accent)
    body = chain(
        (0.5, 0.02),
        ((0.62, 0.12), (0.66, 0.3), (0.65, 0.5)),
        ((0.65, 0.62), (0.64, 0.7), (0.62, 0.76)),
        ((0.54, 0.76), (0.46, 0.76), (0.38, 0.76)),
        ((0.36, 0.7), (0.35, 0.62), (0.35, 0.5)),
        ((0.34, 0.3), (0.38, 0.12), (0.5, 0.02)),
    )
    p.poly(r(body), c.main)
    p.poly(r(ellipse_pts(0.5, 0.36, 0.085, 0.085)), c.dark, body=False)
    p.poly(r(ellipse_pts(0.5, 0.36, 0.06, 0.06)), c.accent, body=False)
    p.poly(r(rrect_pts(0.36, 0.62, 0.64, 0.67, 0.01)), c.second, body=False)


def draw_diamond(p: Pen, c: MarkColors, rng: random.Random) -> None:
    outline = [(0.3, 0.14), (0.7, 0.14), (0.94, 0.4), (0.5, 0.94), (0.06, 0.4)]
    p.poly(outline, c.main)
    p.poly([(0.3, 0.14), (0.5, 0.14), (0.38, 0.4), (0.06, 0.4)], c.rgba(c.light, 150), body=False)
    p.poly([(0.5, 0.14), (0.7, 0.14), (0.62, 0.4), (0.38, 0.4)], c.rgba(c.accent, 200), body=False)
    p.poly([(0.06, 0.4), (0.38, 0.4), (0.5, 0.94)], c.rgba(c.second, 170), body=False)
    p.poly([(0.62, 0.4), (0.94, 0.4), (0.5, 0.94)], c.rgba(c.dark, 60), body=False)


def draw_shield(p: Pen, c: MarkColors, rng: random.Random) -> None:
    shape = chain(
        (0.5, 0.06),
        ((0.62, 0.12), (0.78, 0.14), (0.88, 0.12)),
        ((0.9, 0.5), (0.78, 0.78), (0.5, 0.96)),
        ((0.22, 0.78), (0.1, 0.5), (0.12, 0.12)),
        ((0.22, 0.14), (0.38, 0.12), (0.5, 0.06)),
    )
    p.poly(shape, c.main)
    right_half = chain(
        (0.5, 0.06),
        ((0.62, 0.12), (0.78, 0.14), (0.88, 0.12)),
        ((0.9, 0.5), (0.78, 0.78), (0.5, 0.96)),
    )
    p.poly([*right_half, (0.5, 0.96)], c.second, body=False)
    p.poly(star_pts(0.5, 0.46, 0.2, 0.085), c.accent, body=False)


def draw_leaf(p: Pen, c: MarkColors, rng: random.Random) -> None:
    leaf = chain((0.16, 0.84), ((0.1, 0.4), (0.5, 0.1), (0.9, 0.08)), ((0.9, 0.5), (0.6, 0.9), (0.16, 0.84)))
    p.poly(leaf, c.main)
    p.stroke([(0.08, 0.94), (0.2, 0.8)], 0.05, c.second)
    p.stroke(
        [*bez((0.2, 0.8), (0.4, 0.56), (0.6, 0.34), (0.84, 0.14)), (0.84, 0.14)], 0.03, c.second, body=False
    )
    for t, length in ((0.3, 0.16), (0.5, 0.14), (0.7, 0.1)):
        x, y = 0.2 + 0.64 * t, 0.8 - 0.66 * t
        p.stroke([(x, y), (x + length * 0.2, y - length)], 0.022, c.second, body=False)
        p.stroke([(x, y), (x + length, y - length * 0.1)], 0.022, c.second, body=False)


_INVADER = (
    "..#.....#..",
    "...#...#...",
    "..#######..",
    ".##.###.##.",
    "###########",
    "#.#######.#",
    "#.#.....#.#",
    "...##.##...",
)


def draw_pixel(p: Pen, c: MarkColors, rng: random.Random) -> None:
    cell = 0.84 / 11
    top = 0.5 - cell * len(_INVADER) / 2
    for row, line in enumerate(_INVADER):
        for col, ch in enumerate(line):
            if ch == "#":
                x, y = 0.08 + col * cell, top + row * cell
                colour = c.second if row in (0, 1) else c.main
                p.poly([(x, y), (x + cell, y), (x + cell, y + cell), (x, y + cell)], colour)
    for col in (3, 7):
        x, y = 0.08 + col * cell, top + 3 * cell
        p.poly([(x, y), (x + cell, y), (x + cell, y + cell), (x, y + cell)], c.accent, body=False)


def draw_rain(p: Pen, c: MarkColors, rng: random.Random) -> None:
    for x, y, r in ((0.3, 0.42, 0.16), (0.52, 0.32, 0.22), (0.74, 0.44, 0.15)):
        p.ellipse(x, y, r, fill=c.light)
    p.rrect(0.14, 0.4, 0.88, 0.6, 0.1, fill=c.light)
    for x, y in ((0.3, 0.72), (0.52, 0.8), (0.72, 0.7)):
        drop = chain(
            (x, y - 0.1),
            ((x + 0.02, y - 0.04), (x + 0.06, y), (x + 0.05, y + 0.05)),
            ((x + 0.03, y + 0.1), (x - 0.03, y + 0.1), (x - 0.05, y + 0.05)),
            ((x - 0.06, y), (x - 0.02, y - 0.04), (x, y - 0.1)),
        )
        p.poly(drop, c.main)
    p.ellipse(0.44, 0.44, 0.18, 0.05, fill=c.rgba(c.main, 60), body=False)


def draw_snow(p: Pen, c: MarkColors, rng: random.Random) -> None:
    for k in range(6):
        a = math.radians(k * 60 - 90)
        end = (0.5 + 0.44 * math.cos(a), 0.5 + 0.44 * math.sin(a))
        p.stroke([(0.5, 0.5), end], 0.07, c.light)
        for t, length in ((0.55, 0.13), (0.8, 0.09)):
            base = (0.5 + 0.44 * t * math.cos(a), 0.5 + 0.44 * t * math.sin(a))
            for side in (-1, 1):
                b = a + side * math.radians(50)
                p.stroke(
                    [base, (base[0] + length * math.cos(b), base[1] + length * math.sin(b))], 0.05, c.light
                )
    p.poly(star_pts(0.5, 0.5, 0.14, 0.12, points=6, rotation=0), c.main)


def draw_sun(p: Pen, c: MarkColors, rng: random.Random) -> None:
    p.poly(star_pts(0.5, 0.5, 0.48, 0.34, points=12), c.second)
    p.ellipse(0.5, 0.5, 0.3, fill=c.main)
    _glint(p, c, 0.4, 0.4, 0.07)


def draw_gift(p: Pen, c: MarkColors, rng: random.Random) -> None:
    for side in (-1, 1):
        loop = ellipse_pts(0.5 + side * 0.13, 0.2, 0.13, 0.09)
        p.poly(loop, c.accent)
    p.rrect(0.14, 0.42, 0.86, 0.92, 0.04, fill=c.main)
    p.rrect(0.08, 0.28, 0.92, 0.44, 0.04, fill=c.main)
    p.poly([(0.44, 0.28), (0.56, 0.28), (0.56, 0.92), (0.44, 0.92)], c.accent, body=False)
    p.ellipse(0.5, 0.27, 0.06, fill=c.second)
    p.rrect(0.14, 0.44, 0.86, 0.5, 0.0, fill=c.rgba(c.dark, 60), body=False)


def _face(expression: str) -> MarkFn:
    def draw(p: Pen, c: MarkColors, rng: random.Random) -> None:
        p.ellipse(0.5, 0.52, 0.44, fill=c.main)
        p.ellipse(0.5, 0.52, 0.3, 0.28, fill=c.rgba(c.light, 28), body=False)
        if expression in ("happy", "laugh"):
            for x in (0.34, 0.66):
                arc = ellipse_pts(x, 0.47, 0.08, 0.07, n=40, a0=200, a1=340)
                p.stroke(arc, 0.04, c.dark, body=False)
            mouth = ellipse_pts(0.5, 0.6, 0.24, 0.22 if expression == "laugh" else 0.17, n=60, a0=0, a1=180)
            p.poly(mouth, c.dark, body=False)
            p.ellipse(0.5, 0.74 if expression == "laugh" else 0.7, 0.1, 0.05, fill=c.second, body=False)
            if expression == "laugh":
                for side in (-1, 1):
                    x = 0.5 + side * 0.36
                    drop = chain(
                        (x, 0.42),
                        ((x + side * 0.04, 0.5), (x + side * 0.08, 0.56), (x + side * 0.04, 0.6)),
                        ((x, 0.62), (x - side * 0.04, 0.56), (x, 0.42)),
                    )
                    p.poly(drop, c.accent)
        elif expression == "sad":
            for x in (0.34, 0.66):
                p.ellipse(x, 0.46, 0.055, 0.075, fill=c.dark, body=False)
            frown = ellipse_pts(0.5, 0.78, 0.16, 0.1, n=40, a0=200, a1=340)
            p.stroke(frown, 0.045, c.dark, body=False)
            drop = chain(
                (0.3, 0.52), ((0.33, 0.6), (0.36, 0.66), (0.3, 0.7)), ((0.24, 0.66), (0.27, 0.6), (0.3, 0.52))
            )
            p.poly(drop, c.accent, body=False)
        else:  # "wow": the shocked "pog" face
            for x in (0.33, 0.67):
                p.ellipse(x, 0.42, 0.11, 0.12, fill=c.light, body=False)
                p.ellipse(x, 0.44, 0.05, fill=c.dark, body=False)
            p.ellipse(0.5, 0.72, 0.1, 0.13, fill=c.dark, body=False)
            p.ellipse(0.5, 0.77, 0.06, 0.05, fill=c.second, body=False)

    return draw


MARKS: dict[str, MarkFn] = {
    "star": draw_star,
    "sparkle": draw_sparkle,
    "heart": draw_heart,
    "fire": draw_fire,
    "crown": draw_crown,
    "skull": draw_skull,
    "bolt": draw_bolt,
    "trophy": draw_trophy,
    "cat": draw_cat,
    "ghost": draw_ghost,
    "moon": draw_moon,
    "controller": draw_controller,
    "sword": draw_sword,
    "music": draw_music,
    "coffee": draw_coffee,
    "rocket": draw_rocket,
    "diamond": draw_diamond,
    "shield": draw_shield,
    "leaf": draw_leaf,
    "pixel": draw_pixel,
    "rain": draw_rain,
    "snow": draw_snow,
    "sun": draw_sun,
    "gift": draw_gift,
    "happy": _face("happy"),
    "laugh": _face("laugh"),
    "sad": _face("sad"),
    "wow": _face("wow"),
}
