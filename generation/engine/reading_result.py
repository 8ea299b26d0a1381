"""What a reading finds (``Reading``, with its ``Accessory`` items), kept with each job item and
shown to people as rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .vocabulary import LAYOUT_LABELS


@dataclass(frozen=True)
class Accessory:
    concept: str
    place: str  # head | face | hand | around

    def to_json(self) -> dict[str, str]:
        return {"concept": self.concept, "place": self.place}


@dataclass(frozen=True)
class Reading:
    """What the engine will draw for a prompt."""

    subjects: tuple[str, ...] = ()  # art concepts, main first
    accessories: tuple[Accessory, ...] = ()
    expression: str = ""
    colours: tuple[tuple[str, str], ...] = ()  # (as written, #RRGGBB)
    styles: tuple[str, ...] = ()
    layout: str = ""  # an intent from LAYOUTS; "": the seed chooses
    text: str = ""  # on-image words found in the prompt
    unused: tuple[str, ...] = ()  # words it could not use
    base: str = ""  # a pack's shared description, when the reading includes one
    number: str = ""  # a top-N list's number ("5" in "top 5 settings")
    mood: str = ""  # a key of MOODS the words set ("ranked grind" → hype)
    weather: str = ""  # a key of WEATHER ("rainy" → rain)

    @property
    def hexes(self) -> tuple[str, ...]:
        return tuple(value for _, value in self.colours)

    def to_json(self) -> dict[str, Any]:
        return {
            "subjects": list(self.subjects),
            "accessories": [a.to_json() for a in self.accessories],
            "expression": self.expression,
            "colours": [{"word": word, "hex": value} for word, value in self.colours],
            "styles": list(self.styles),
            "layout": self.layout,
            "number": self.number,
            "mood": self.mood,
            "weather": self.weather,
            "text": self.text,
            "unused": list(self.unused),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Reading:
        data = data or {}
        return cls(
            subjects=tuple(data.get("subjects", ())),
            accessories=tuple(
                Accessory(concept=a["concept"], place=a.get("place", "around"))
                for a in data.get("accessories", ())
            ),
            expression=data.get("expression", ""),
            colours=tuple((c["word"], c["hex"]) for c in data.get("colours", ())),
            styles=tuple(data.get("styles", ())),
            layout=data.get("layout", ""),
            number=data.get("number", ""),
            mood=data.get("mood", ""),
            weather=data.get("weather", ""),
            text=data.get("text", ""),
            unused=tuple(data.get("unused", ())),
        )

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows for people: what will be drawn."""
        rows: list[tuple[str, str]] = []
        if self.subjects:
            rows.append(("Subject", ", ".join(label(s) for s in self.subjects)))
        if self.accessories:
            rows.append(("With", ", ".join(label(a.concept) for a in self.accessories)))
        if self.expression:
            rows.append(("Expression", self.expression))
        if self.colours:
            rows.append(("Colours", ", ".join(f"{word} {value}" for word, value in self.colours)))
        if self.styles:
            rows.append(("Style", ", ".join(self.styles)))
        if self.mood and self.mood not in self.styles:
            rows.append(("Mood", self.mood))
        if self.weather:
            rows.append(("Weather", WEATHER_LABELS.get(self.weather, self.weather)))
        if self.layout:
            layout_label = LAYOUT_LABELS.get(self.layout, self.layout)
            rows.append(("Layout", f"{layout_label} ({self.number})" if self.number else layout_label))
        if self.text:
            rows.append(("Text", self.text))
        return rows

    def colour_rule(self) -> str:
        """Where the colours come from, in words: "teal and purple from your words, fonts and logo
        from your kit"."""
        if not self.colours:
            return "Colours, fonts and logo from your kit"
        names = [word for word, _ in self.colours]
        said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{said[:1].upper()}{said[1:]} from your words, fonts and logo from your kit"


WEATHER_LABELS = {"rain": "rain", "snow": "snow", "night": "night sky"}


def label(concept: str) -> str:
    """A concept's name for people: ``smiling-cat-with-heart-eyes`` → "smiling cat with heart eyes"."""
    return concept.replace("-", " ")
