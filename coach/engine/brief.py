"""The local coach's brief: which target the words mean, how a message's fields fold into the
brief, what to ask for next, when it is ready, and what the coach proposes for each field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.colors import normalize_hex

from .patterns import HEX_RE, NO_TEXT_RE
from .tables import (
    ASSET_CONCEPTS,
    DEFAULT_PALETTE,
    FAMILY_COMPOSITIONS,
    FAMILY_MOODS,
    FAMILY_STYLES,
    PALETTES,
    SCENE_TITLES,
    STYLE_MOODS,
    SUBJECT_IDEAS,
    AssetConcept,
)
from .types import BrandContext, Brief, TargetOption
from .wording import clip, decap, split_list

TEXT_FAMILIES: frozenset[str] = frozenset({"thumbnail", "banner", "scene", "panel", "cover"})
TEXT_REQUIRED: frozenset[str] = frozenset({"thumbnail", "panel"})  # not ready without text (or "no text")
# The order the coach asks in, after the target: text early where the family carries it.
ASK_ORDER_TEXT: tuple[str, ...] = ("subject", "text", "style", "mood", "colors", "composition")
ASK_ORDER_ART: tuple[str, ...] = ("subject", "style", "mood", "text", "colors", "composition")


def resolve_target(
    platform: str, concept: AssetConcept | None, current: Brief, targets: Sequence[TargetOption]
) -> TargetOption | None:
    """The offered target a platform word and/or an asset word mean, in the context of ``current``.

    An asset word is looked up on the named platform, else the brief's platform, else wherever
    it is most common (the first offered). A platform word alone keeps the brief's asset if that
    platform offers it (or the same kind of asset, or one of the same family), and means its
    only asset when it offers just one.
    """
    by_key = {t.key: t for t in targets}
    if concept is not None:
        home = platform or current.platform
        for asset_type in concept.asset_types:
            if found := by_key.get(f"{home}.{asset_type}"):
                return found
        for asset_type in concept.asset_types:
            for target in targets:
                if target.asset_type == asset_type:
                    return target
        return None
    on_platform = [t for t in targets if t.platform == platform]
    if len(on_platform) == 1:
        return on_platform[0]
    if not platform or not current.asset_type:
        return None
    kinds = next((c.asset_types for c in ASSET_CONCEPTS if current.asset_type in c.asset_types), ())
    for asset_type in (current.asset_type, *kinds):
        if found := by_key.get(f"{platform}.{asset_type}"):
            return found
    old = by_key.get(current.spec_key)
    return next((t for t in targets if old and t.platform == platform and t.family == old.family), None)


def target_of(brief: Brief, targets: Sequence[TargetOption]) -> TargetOption | None:
    """The offered target the brief names, if any."""
    return next((t for t in targets if t.key == brief.spec_key), None)


def fold(current: Brief, decided: Brief) -> Brief:
    """``current`` with what one message decided: latest words win, except that things to avoid
    add up, a platform named without an asset drops the old platform's asset, and "no text"
    and on-image text cancel each other out."""
    merged = current.merged(replace(decided, avoid=""))
    if decided.platform and not decided.asset_type:
        merged = replace(merged, asset_type="")
    items = [*split_list(current.avoid), *split_list(decided.avoid)]
    if decided.text:
        items = [item for item in items if not NO_TEXT_RE.fullmatch(item)]
    merged = replace(merged, avoid=clip(", ".join(dict.fromkeys(items))))
    return replace(merged, text="") if text_declined(decided) and not decided.text else merged


def next_field(brief: Brief, target: TargetOption | None) -> str:
    """The one thing to ask for next: "target", a brief field name, or "" when nothing is missing."""
    if target is None:
        return "target"
    order = ASK_ORDER_TEXT if target.family in TEXT_FAMILIES else ASK_ORDER_ART
    for name in order:
        if name == "text" and text_declined(brief):
            continue
        if not getattr(brief, name):
            return name
    return ""


def is_ready(brief: Brief, target: TargetOption | None) -> bool:
    """Enough to generate from: a target, a subject, a style or a mood (and text, or "no text",
    for thumbnails and panels, which are mostly their words)."""
    if target is None or not brief.subject or not (brief.style or brief.mood):
        return False
    return target.family not in TEXT_REQUIRED or bool(brief.text) or text_declined(brief)


def text_declined(brief: Brief) -> bool:
    """The creator said "no text" (so the coach stops asking for it)."""
    return any(NO_TEXT_RE.fullmatch(item) for item in split_list(brief.avoid))


def proposal(
    name: str, brief: Brief, brand: BrandContext, target: TargetOption | None
) -> str | tuple[str, ...]:
    """What the coach suggests for a field (taken when the creator says "yes" or "up to you")."""
    family = target.family if target else ""
    if name == "subject" and family in SUBJECT_IDEAS:
        return decap(SUBJECT_IDEAS[family][0])
    if name == "text":
        if target and target.asset_type in SCENE_TITLES:
            return SCENE_TITLES[target.asset_type][0]
        return {"banner": brand.channel_name, "panel": "About", "emote": "GG"}.get(family, "")
    if name == "style":
        return brand.style or FAMILY_STYLES.get(family, "")
    if name == "mood":
        style_words = _look_words(brief.style, brand.style)
        return next(
            (STYLE_MOODS[w] for w in style_words if w in STYLE_MOODS), FAMILY_MOODS.get(family, "energetic")
        )
    if name == "colors":
        return brand_colors(brand) or _palette(brief)
    if name == "composition":
        return FAMILY_COMPOSITIONS[family][0] if family in FAMILY_COMPOSITIONS else ""
    return ""


def brand_colors(brand: BrandContext) -> tuple[str, ...]:
    """The kit's colours as ``#RRGGBB``, in role order, without repeats."""
    values = (normalize_hex(v) for v in brand.colors.values() if HEX_RE.fullmatch(v.strip()))
    return tuple(dict.fromkeys(values))[:6]


def _palette(brief: Brief) -> tuple[str, ...]:
    words = _look_words(brief.style, brief.mood)
    return next((PALETTES[w] for w in words if w in PALETTES), DEFAULT_PALETTE)


def _look_words(*looks: str) -> list[str]:
    """Style or mood phrases, then their single words: "pixel art, bold neon" -> [..., "neon"]."""
    phrases = [item.lower() for look in looks for item in split_list(look)]
    return [*phrases, *(word for phrase in phrases for word in phrase.split())]
