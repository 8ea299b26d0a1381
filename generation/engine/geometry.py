"""Rectangles, aspect ratios and the small geometry the layouts need."""

from __future__ import annotations

import math

from platforms.types import Rect

# The aspect ratios image models accept (Gemini's list); a canvas is asked for at the closest.
MODEL_ASPECT_RATIOS: tuple[tuple[str, float], ...] = tuple(
    (f"{w}:{h}", w / h)
    for w, h in ((1, 1), (2, 3), (3, 2), (3, 4), (4, 3), (4, 5), (5, 4), (9, 16), (16, 9), (21, 9))
)


def closest_aspect_ratio(width: int, height: int) -> str:
    """The model aspect ratio closest to ``width:height`` (compared on a log scale)."""
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    target = math.log(width / height)
    return min(MODEL_ASPECT_RATIOS, key=lambda item: abs(math.log(item[1]) - target))[0]


def right(rect: Rect) -> int:
    return rect.x + rect.width


def bottom(rect: Rect) -> int:
    return rect.y + rect.height


def area(rect: Rect) -> int:
    return max(0, rect.width) * max(0, rect.height)


def contains(outer: Rect, inner: Rect) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and right(inner) <= right(outer)
        and bottom(inner) <= bottom(outer)
    )


def intersects(a: Rect, b: Rect) -> bool:
    return a.x < right(b) and b.x < right(a) and a.y < bottom(b) and b.y < bottom(a)


def union(a: Rect, b: Rect) -> Rect:
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    return Rect(x0, y0, max(right(a), right(b)) - x0, max(bottom(a), bottom(b)) - y0)


def inset(rect: Rect, dx: int, dy: int | None = None) -> Rect:
    dy = dx if dy is None else dy
    return Rect(rect.x + dx, rect.y + dy, max(0, rect.width - 2 * dx), max(0, rect.height - 2 * dy))


def scale(rect: Rect, factor: float) -> Rect:
    """Scale a rectangle, rounding outwards so a scaled-down box never loses inked pixels."""
    x0 = math.floor(rect.x * factor)
    y0 = math.floor(rect.y * factor)
    x1 = math.ceil(right(rect) * factor)
    y1 = math.ceil(bottom(rect) * factor)
    return Rect(x0, y0, x1 - x0, y1 - y0)


def from_fractions(width: int, height: int, fx: float, fy: float, fw: float, fh: float) -> Rect:
    return Rect(round(width * fx), round(height * fy), round(width * fw), round(height * fh))


def avoid(box: Rect, obstacles: tuple[Rect, ...] | list[Rect]) -> Rect:
    """The largest part of ``box`` (cut along one side per obstacle) that touches no obstacle."""
    for obstacle in obstacles:
        if not intersects(box, obstacle):
            continue
        pieces = [
            Rect(box.x, box.y, obstacle.x - box.x, box.height),  # left of it
            Rect(right(obstacle), box.y, right(box) - right(obstacle), box.height),  # right
            Rect(box.x, box.y, box.width, obstacle.y - box.y),  # above
            Rect(box.x, bottom(obstacle), box.width, bottom(box) - bottom(obstacle)),  # below
        ]
        box = max(pieces, key=area)
        if area(box) == 0:
            return Rect(box.x, box.y, 0, 0)
    return box


def inside_circle(rect: Rect, cx: float, cy: float, radius: float) -> bool:
    """True when every corner of ``rect`` lies inside the circle."""
    corners = (
        (rect.x, rect.y),
        (right(rect), rect.y),
        (rect.x, bottom(rect)),
        (right(rect), bottom(rect)),
    )
    return all((x - cx) ** 2 + (y - cy) ** 2 <= radius**2 for x, y in corners)


def circle_band(size: int, y_top: int, y_bottom: int, margin: int = 0) -> Rect:
    """The widest rectangle between two heights that fits inside the canvas's inscribed circle."""
    radius = size / 2 - margin
    centre = size / 2
    worst = max(abs(y_top - centre), abs(y_bottom - centre))
    if worst >= radius:
        return Rect(round(centre), y_top, 0, max(0, y_bottom - y_top))
    half = math.sqrt(radius**2 - worst**2)
    x0 = math.ceil(centre - half)
    return Rect(x0, y_top, math.floor(centre + half) - x0, y_bottom - y_top)
