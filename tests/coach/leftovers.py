"""What a clean brief and a clean job prompt look like: no parsing leftovers (issue 15).

Shared by the coach's own tests (no database) and the hand-off tests (with one)."""

from __future__ import annotations

import re

from coach.engine.types import Brief

# What parsing used to leave behind: a connector between commas (", and,"), a dangling connector,
# stray or doubled commas.
LEFTOVER = re.compile(r",\s*(?:and|or|with|plus)?\s*,|\b(?:and|or|with)\s*$|^\s*,|,\s*$|\s,")
# Words that belong in the brief's colour and style fields, never in the subject.
LOOK_WORDS = re.compile(r"\b(?:purple|teal|neon|pastel|cozy|pixel|colou?rs?|style)\b", re.IGNORECASE)


def assert_clean_prompt(prompt: str) -> None:
    """A job prompt: words only, no leftovers, no hex codes or "colours …" / "… style" tails."""
    assert not LEFTOVER.search(prompt), prompt
    assert "#" not in prompt, prompt
    assert not LOOK_WORDS.search(prompt), prompt
    assert not re.search(r"\btext\b", prompt, re.IGNORECASE), prompt


def assert_clean(brief: Brief) -> None:
    """No field carries leftovers; the subject is only what the image shows."""
    for name, value in brief.to_json().items():
        for item in value if isinstance(value, list) else [value]:
            assert not LEFTOVER.search(item), (name, item)
    assert_clean_prompt(brief.subject)
    if brief.text:
        assert brief.text not in brief.subject, brief.subject
