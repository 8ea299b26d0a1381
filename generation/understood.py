"""What the engine understood from a request, as people see it: on Create while the creator
types, on the job page, and beside an asset's recipe in the library.

A request makes one or more items (variants, a pack's emotes, a starter kit's assets), each with
its own reading (``engine.reading.Reading``). The rows every item shares are shown once; what an
item adds (an emote's word, a variant's layout) is shown under its name.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from platforms import spec_get

from .engine.layout import understood
from .engine.reading import LAYOUTS, Reading, read
from .engine.types import BrandSnapshot
from .items import JobItem
from .services import JobRequest, brief_for, job_items

logger = logging.getLogger(__name__)

# A layout the words left open is chosen by each item's seed when the job starts.
LAYOUT_PICKED = "picked for you when you generate"
NO_SUBJECT = "none found in your words"
# Said when an item has no subject: what the provider draws instead (local.direct: a concept
# from the kit's keywords, else one of the hand-drawn marks).
NO_SUBJECT_LOCAL = (
    "With no subject named, the art comes from your kit's themes or one of our hand-drawn marks."
)
NO_SUBJECT_MODEL = "With no subject named, the image model works from your whole description."
MIXED_RULE = "Colours named for an item from its words, the rest from your kit; fonts and logo from your kit"


@dataclass(frozen=True)
class Row:
    """One line: "Subject" – "cat"; colours carry their (word, #RRGGBB) for swatches."""

    label: str
    value: str
    colours: tuple[tuple[str, str], ...] = ()
    quiet: bool = False  # not something drawn: "none found", "picked for you…"


@dataclass(frozen=True)
class Part:
    """What one item adds to the shared rows ("GG": Text GG)."""

    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Understood:
    rows: tuple[Row, ...]  # shared by every item
    parts: tuple[Part, ...]  # per item, only when the items differ
    rule: str  # where the colours, fonts and logo come from
    unused: tuple[str, ...]  # words no item could use
    hint: str  # what happens when an item has no subject; "" when every item has one
    local: bool = True  # the offline engine makes the art (an image model reads every word)
    noun: str = "variant"  # what an item is called: emote, badge, panel, asset, variant

    def summary(self) -> str:
        """The reading in one line, for a screen reader to hear as it changes."""

        def said(rows: Sequence[Row]) -> str:
            return "; ".join(f"{row.label.lower()} {row.value}" for row in rows)

        parts = [said(self.rows)]
        if self.parts:
            parts = [f"Every {self.noun}: {parts[0]}"] if self.rows else []
            parts += [f"{part.label}: {said(part.rows) or 'nothing more'}" for part in self.parts]
        if self.unused:
            parts.append("Not used: " + ", ".join(self.unused[:20]))
        return ". ".join(part for part in parts if part) + "."


def rows_of(reading: Reading, *, family: str = "", layout_open: bool = False) -> tuple[Row, ...]:
    """The reading's rows for people. ``layout_open``: the layout is not settled yet (Create,
    before the seed is known), so a family with layouts says it will be picked."""
    rows = []
    if not reading.subjects:
        rows.append(Row("Subject", NO_SUBJECT, quiet=True))
    for label, value in reading.lines():
        rows.append(Row(label, value, reading.colours if label == "Colours" else ()))
    if layout_open and not reading.layout and LAYOUTS.get(family):
        at = next((i for i, row in enumerate(rows) if row.label == "Text"), len(rows))
        rows.insert(at, Row("Layout", LAYOUT_PICKED, quiet=True))
    return tuple(rows)


PACK_NOUNS = {"emote_pack": "emote", "badge_set": "badge", "panel_set": "panel", "starter_kit": "asset"}


def summarise(
    items: Sequence[tuple[str, Reading, tuple[Row, ...]]], *, local: bool = True, pack: str = ""
) -> Understood | None:
    """The shared rows and each item's additions for (item label, reading, rows) triples;
    None when there is nothing to show. ``local``: the offline engine makes the art (an image
    model reads the whole description, so its "no subject" hint differs)."""
    if not items:
        return None
    all_rows = [rows for _, _, rows in items]
    shared = tuple(row for row in all_rows[0] if all(row in rows for rows in all_rows[1:]))
    parts: tuple[Part, ...] = ()
    if len(items) > 1 and any(len(rows) != len(shared) for rows in all_rows):
        parts = tuple(
            Part(label, tuple(row for row in rows if row not in shared)) for label, _, rows in items
        )
    readings = [reading for _, reading, _ in items]
    rules = {reading.colour_rule() for reading in readings}
    hint = ""
    if any(not reading.subjects for reading in readings):
        hint = NO_SUBJECT_LOCAL if local else NO_SUBJECT_MODEL
    return Understood(
        rows=shared,
        parts=parts,
        rule=rules.pop() if len(rules) == 1 else MIXED_RULE,
        unused=tuple(dict.fromkeys(word for reading in readings for word in reading.unused)),
        hint=hint,
        local=local,
        noun=PACK_NOUNS.get(pack, "variant"),
    )


def item_label(item: JobItem, index: int, *, pack: str = "", spec_label: str = "") -> str:
    """How a job item is named beside its additions: its emote idea, tier, panel label, asset
    type (a starter kit) or variant number."""
    if pack == "badge_set" and item.tier:
        months = int(item.tier)
        return f"{months} month{'s' if months != 1 else ''}"
    if pack == "starter_kit" and spec_label:
        return spec_label
    if pack in ("emote_pack", "panel_set"):
        words = " ".join(str(item.text or item.prompt).split())
        if words:
            return words if len(words) <= 32 else words[:31].rstrip() + "…"
    return f"Variant {index + 1}"


def for_request(request: JobRequest, *, brand: BrandSnapshot, local: bool = True) -> Understood | None:
    """Create, before Generate: every item the request would make, read as the job will read it
    (the same items, pack base, kit "avoid" list and choices). Without a seed the layouts the
    words leave open are not settled yet, so they show as picked when the job starts."""
    try:
        items = job_items(dataclasses.replace(request, seed=request.seed or 0))
    except (KeyError, ValidationError):  # an unknown asset type, a platform with no starter kit
        return None
    triples = []
    pictures = len(dict.fromkeys(request.media_ids))  # as job_create counts them
    for index, item in enumerate(items):
        spec = spec_get(item.spec)
        brief = brief_for(dataclasses.replace(item, media=()))
        reading = understood(spec, brief, brand, item.seed, pictures=pictures)
        open_layout = request.seed is None and not (
            brief.layout in LAYOUTS.get(spec.family, ())
            or read(brief.prompt, family=spec.family, text=brief.text, base=brief.base).layout
        )
        if open_layout:
            reading = dataclasses.replace(reading, layout="", number="")
        label = item_label(item, index, pack=request.pack, spec_label=spec.label)
        triples.append((label, reading, rows_of(reading, family=spec.family, layout_open=open_layout)))
    return summarise(triples, local=local, pack=request.pack)


_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def _well_formed(reading: Reading) -> Reading:
    """``reading`` when every part is text and every colour #RRGGBB, as the engine writes it;
    else TypeError or ValueError (a recipe edited by hand would otherwise fail its page)."""
    words = [*reading.subjects, *reading.styles, *reading.unused, reading.expression, reading.layout]
    words += [reading.number, reading.text, reading.mood, reading.weather]
    words += [part for accessory in reading.accessories for part in (accessory.concept, accessory.place)]
    words += [part for pair in reading.colours for part in pair]
    if not all(isinstance(word, str) for word in words):
        raise TypeError("a reading holds only text")
    if not all(_HEX.fullmatch(value) for _, value in reading.colours):  # set in a style attribute
        raise ValueError("a reading's colours are #RRGGBB")
    return reading


def for_items(items: Sequence[JobItem], *, pack: str = "", local: bool = True) -> Understood | None:
    """A job's recorded readings (``JobItem.reading``, kept since jobs record them); None for a
    job from before, or one whose readings cannot be read back."""
    triples = []
    for index, item in enumerate(items):
        if not item.reading:
            continue
        try:
            reading = _well_formed(Reading.from_json(dict(item.reading)))
        except (KeyError, TypeError, ValueError, AttributeError):
            logger.warning("A job item's reading could not be read back: %r", item.reading)
            continue
        family: str
        try:
            spec = spec_get(item.spec)
            family, spec_label = spec.family, spec.label
        except KeyError:  # an asset type taken out of the registry since
            family, spec_label = "", ""
        label = item_label(item, index, pack=pack, spec_label=spec_label)
        triples.append((label, reading, rows_of(reading, family=family)))
    return summarise(triples, local=local, pack=pack)
