"""Small, bounded, deterministic caches for drawings the engine makes again and again.

A mark, a badge frame or a line of glyphs depends only on its arguments (names, sizes, colours,
angles), never on global state or the clock, so a drawing made once can be handed out again:
the result is the same pixels either way, and a cache hit or miss never changes a file's bytes.
Each cache is bounded by entries and by pixels, so a long-running worker keeps a few megabytes
of drawings at most. Cached images are shared: callers treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_ALL: list[PixelCache[object]] = []


class PixelCache(Generic[V]):
    """A least-recently-used map bounded by entry count and by total pixels held."""

    def __init__(self, name: str, *, max_entries: int, max_pixels: int) -> None:
        self.name = name
        self.max_entries = max_entries
        self.max_pixels = max_pixels
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._pixels = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        _ALL.append(self)  # type: ignore[arg-type]  # the list holds every cache, whatever its value type

    def get(self, key: Hashable, make: Callable[[], V], pixels: Callable[[V], int]) -> V:
        """The value for ``key``, made (and kept, when it fits) on a miss."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found[0]
            self.misses += 1
        value = make()
        cost = pixels(value)
        if cost > self.max_pixels:
            return value
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, cost)
                self._pixels += cost
                while len(self._items) > self.max_entries or self._pixels > self.max_pixels:
                    _, (_, dropped) = self._items.popitem(last=False)
                    self._pixels -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._pixels = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


def clear_all() -> None:
    """Empty every drawing cache (benchmarks use it to time cold renders)."""
    for cache in _ALL:
        cache.clear()
