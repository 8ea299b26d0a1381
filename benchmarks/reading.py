"""How well the engine reads creators' prompts: the share of a hand-written corpus it reads right.

The corpus (``tests/generation/data/prompt_corpus.toml``) holds prompts for emotes, badges,
thumbnails, banners and scenes, written with streamer slang, each with what a careful reader
takes from it: the subject concept(s), accessories, expression, colours, style words, layout
intent and on-image text. A prompt counts as read right when every field it states matches the
engine's reading (``generation.engine.reading``), and the fields it leaves out are left empty by
the reading too (no invented expression, style or layout). No Django settings are needed.

    .venv/bin/python benchmarks/reading.py            # the figure, per family and per field
    .venv/bin/python benchmarks/reading.py --misses   # every prompt read wrong, and how
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generation.engine import reading

CORPUS = ROOT / "tests" / "generation" / "data" / "prompt_corpus.toml"
FIELDS = ("subjects", "accessories", "expression", "colours", "style", "layout", "text")


@dataclass(frozen=True)
class Verdict:
    entry: dict[str, Any]
    got: reading.Reading
    wrong: tuple[str, ...]  # the fields read wrong

    @property
    def ok(self) -> bool:
        return not self.wrong


def corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open("rb") as file:
        return list(tomllib.load(file)["prompt"])


def _colour_hex(value: str) -> str:
    value = value.strip()
    if value.startswith("#"):
        return reading.normalise_hex(value)
    words = value.lower().split()
    if len(words) > 1 and words[0] in reading.COLOR_SHADES:
        base = reading.COLOR_LOOKUP[reading.color_key(" ".join(words[1:]))]
        return reading.shade(base, reading.COLOR_SHADES[words[0]])
    return reading.COLOR_LOOKUP[reading.color_key(value)]


def _one_of(expected: str, found: set[str]) -> bool:
    return any(option in found for option in expected.split("|"))


def judge(entry: dict[str, Any]) -> Verdict:
    got = reading.read(entry["prompt"], family=entry["family"])
    wrong = []
    subjects = entry.get("subjects", [])
    drawn = set(got.subjects) | {a.concept for a in got.accessories}
    if subjects:
        main_ok = bool(got.subjects) and got.subjects[0] in subjects[0].split("|")
        rest_ok = all(_one_of(s, drawn) for s in subjects[1:])
        if not (main_ok and rest_ok):
            wrong.append("subjects")
    elif got.subjects:
        wrong.append("subjects")
    if not all(_one_of(a, drawn) for a in entry.get("accessories", [])):
        wrong.append("accessories")
    if entry.get("expression", "") != got.expression:
        wrong.append("expression")
    if {_colour_hex(c) for c in entry.get("colours", [])} != set(got.hexes):
        wrong.append("colours")
    if set(entry.get("style", [])) != set(got.styles):
        wrong.append("style")
    if entry.get("layout", "") != got.layout:
        wrong.append("layout")
    if "text" in entry and entry["text"].casefold() != got.text.casefold():
        wrong.append("text")
    return Verdict(entry=entry, got=got, wrong=tuple(wrong))


def score(path: Path = CORPUS) -> list[Verdict]:
    return [judge(entry) for entry in corpus(path)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", action="store_true", help="list every prompt read wrong")
    args = parser.parse_args()
    verdicts = score()
    right = sum(v.ok for v in verdicts)
    print(f"Prompts read right: {right} of {len(verdicts)} ({100 * right / len(verdicts):.1f} %)")
    print()
    print(f"{'family':<12}{'prompts':>8}{'right':>8}")
    families = Counter(v.entry["family"] for v in verdicts)
    for family, count in families.items():
        ok = sum(v.ok for v in verdicts if v.entry["family"] == family)
        print(f"{family:<12}{count:>8}{100 * ok / count:>7.1f}%")
    print()
    print(f"{'field':<12}{'wrong':>8}")
    misses = Counter(field for v in verdicts for field in v.wrong)
    for field in FIELDS:
        print(f"{field:<12}{misses[field]:>8}")
    if args.misses:
        print()
        for v in verdicts:
            if not v.ok:
                g = v.got
                print(f"- [{v.entry['family']}] {v.entry['prompt']!r}: {', '.join(v.wrong)}")
                print(
                    f"    got subjects={list(g.subjects)} acc={[a.concept for a in g.accessories]} "
                    f"expr={g.expression!r} colours={list(g.hexes)} style={list(g.styles)} "
                    f"layout={g.layout!r} text={g.text!r}"
                )
                shown = {k: v.entry[k] for k in FIELDS if k in v.entry}
                print(f"    want {shown}")


if __name__ == "__main__":
    main()
