"""A job's items: one value per asset the job makes, exactly as the job records it.

A job stores its items as JSON (``GenerationJob.items``); ``JobItem.from_json`` reads them back,
rows from before every field existed included, and ``to_json`` writes the same shape.
Requests are validated once, where the job is accepted (``services.requests``); the items
built from them are trusted from then on.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .engine.types import Motion, Tweaks

MAX_PACK_ITEMS = 8  # the most items a pack makes


@dataclass(frozen=True)
class ItemMedia:
    """One of the creator's own images as the job records it (read again when it runs)."""

    id: int
    role: str  # face | mascot | game_art | logo | other
    name: str
    cutout: bool
    file: str  # its name in storage

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "role": self.role, "name": self.name, "cutout": self.cutout, "file": self.file}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ItemMedia:
        return cls(
            id=data["id"], role=data["role"], name=data["name"], cutout=data["cutout"], file=data["file"]
        )


@dataclass(frozen=True)
class JobItem:
    """One asset a job makes: what it asks the engine for, with its own seed."""

    spec: str  # a registry key
    prompt: str
    seed: int
    text: str = ""
    subtext: str = ""
    negative_prompt: str = ""
    tier: int | None = None  # a badge set's tier in months
    base: str = ""  # an emote pack's shared description
    # Decided outside the words (a coach brief, Create's choices); "" / (): the words decide.
    layout: str = ""
    style: str = ""
    colours: tuple[str, ...] = ()
    media: tuple[ItemMedia, ...] = ()
    motion: Motion | None = None  # animated asset types: the animation and its settings
    # What the engine understood (``Reading.to_json``), recorded when the job is accepted.
    reading: Mapping[str, Any] | None = None
    # A refine: the asset it makes a new version of, the instruction, the tweaks on top of the
    # asset's own, and what the instruction changed or could not.
    refine_of: uuid.UUID | None = None
    tweaks: Tweaks = field(default_factory=Tweaks)
    instruction: str = ""
    applied: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    not_understood: str = ""
    left_out: tuple[str, ...] = ()  # names of the creator's images deleted since

    @property
    def composition(self) -> str:
        """The layout to draw: the one chosen, else the one the reading settled when the item was
        first made (so a refine or a re-run draws the same even if its images have gone)."""
        if self.layout:
            return self.layout
        recorded = self.reading.get("layout") if isinstance(self.reading, Mapping) else ""
        return recorded if isinstance(recorded, str) else ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "spec": self.spec,
            "prompt": self.prompt,
            "text": self.text,
            "subtext": self.subtext,
            "tier": self.tier,
            "negative_prompt": self.negative_prompt,
            "seed": self.seed,
        }
        if self.base:
            data["base"] = self.base
        if self.layout:
            data["layout"] = self.layout
        if self.style:
            data["style"] = self.style
        if self.colours:
            data["colours"] = list(self.colours)
        data["media"] = [entry.to_json() for entry in self.media]
        if self.motion is not None:
            data["motion"] = self.motion.to_json()
        if self.reading is not None:
            data["reading"] = dict(self.reading)
        if self.refine_of is not None:
            data.update(
                tweaks=self.tweaks.to_json(),
                instruction=self.instruction,
                applied=list(self.applied),
                already=list(self.already),
                not_understood=self.not_understood,
                left_out=list(self.left_out),
                refine_of=str(self.refine_of),
            )
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JobItem:
        """An item as a job stored it; fields a row from before they existed lacks keep their
        defaults."""
        refine_of = data.get("refine_of")
        return cls(
            spec=data["spec"],
            prompt=data["prompt"],
            seed=int(data["seed"]),
            text=data.get("text") or "",
            subtext=data.get("subtext") or "",
            negative_prompt=data.get("negative_prompt") or "",
            tier=data.get("tier"),
            base=data.get("base") or "",
            layout=data.get("layout") or "",
            style=data.get("style") or "",
            colours=tuple(data.get("colours") or ()),
            media=tuple(ItemMedia.from_json(entry) for entry in data.get("media") or ()),
            motion=Motion.from_json(data.get("motion")),
            reading=data.get("reading"),
            refine_of=uuid.UUID(str(refine_of)) if refine_of else None,
            tweaks=Tweaks.from_json(data.get("tweaks")),
            instruction=data.get("instruction") or "",
            applied=tuple(data.get("applied") or ()),
            already=tuple(data.get("already") or ()),
            not_understood=data.get("not_understood") or "",
            left_out=tuple(data.get("left_out") or ()),
        )


def items_from_json(items: list[Any]) -> tuple[JobItem, ...]:
    return tuple(JobItem.from_json(item) for item in items)
