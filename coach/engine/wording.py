"""How the local coach words things: target names, lists, articles, capitals, colour lists."""

from __future__ import annotations

from collections.abc import Sequence

from core.colors import normalize_hex
from generation.engine.reading import COLOR_NAMES

from .patterns import HEX_RE, LABEL_QUALIFIER_RE, PRONOUN_I_RE, TOKEN_RE
from .tables import DETERMINERS
from .types import MAX_FIELD, BrandContext, TargetOption


def target_name(target: TargetOption) -> str:
    """ "Twitch emote", "YouTube channel banner", "starting soon scene" (stream scenes and
    covers for any platform go without the platform)."""
    label = short_label(target)
    label = label[:1].lower() + label[1:] if label[1:2].islower() else label
    return label if target.platform in {"stream", "all"} else f"{target.platform_label} {label}"


def short_label(target: TargetOption) -> str:
    """ "Emote (static)" -> "Emote", "Emote (animated)" -> "Animated emote"."""
    match = LABEL_QUALIFIER_RE.fullmatch(target.label)
    if match is None:
        return target.label
    if match.group("inner").lower() == "static":
        return match.group("outer")
    return f"{cap(match.group('inner'))} {match.group('outer').lower()}"


def color_list(colors: Sequence[str], brand: BrandContext) -> str:
    """ "primary #7C3AED, accent #F59E0B and red #E53935": brand roles first, then colour names."""
    roles = {normalize_hex(v): role for role, v in brand.colors.items() if HEX_RE.fullmatch(v.strip())}
    names = {hex_value: name for name, hex_value in reversed(COLOR_NAMES.items())}
    return and_list([f"{roles.get(c) or names.get(c, '')} {c}".strip() for c in colors])


def with_article(phrase: str, *, force: bool = False) -> str:
    """ "cat" -> "a cat"; left alone: "my mascot", "cats", "Bitsy", "GG" (unless ``force``)."""
    first = phrase.split()[0] if phrase.split() else ""
    if not first:
        return phrase
    plural = first.lower().endswith("s") and not first.lower().endswith("ss") and len(phrase.split()) == 1
    if not force and (first.lower() in DETERMINERS or first[0].isupper() or first[0].isdigit() or plural):
        return phrase
    return f"{'an' if first[0].lower() in 'aeiou' else 'a'} {phrase}"


def decap(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or "I"."""
    first = text.split(" ", 1)[0]
    if not first[:1].isupper() or (len(first) > 1 and first.isupper()) or PRONOUN_I_RE.match(first):
        return text
    return text[:1].lower() + text[1:]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def or_list(items: Sequence[str]) -> str:
    return _join(items, "or")


def and_list(items: Sequence[str]) -> str:
    return _join(items, "and")


def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def clip(text: str) -> str:
    return " ".join(text.split())[:MAX_FIELD]


def as_subject(words: str) -> str:
    """ "A cat with a crown" -> "a cat with a crown" (names and acronyms keep their capitals)."""
    return clip(decap(words))


def split_tokens(text: str) -> list[str]:
    """Word-sized pieces that join back to ``text`` exactly (leading space stays on the first)."""
    return TOKEN_RE.findall(text)
