"""The local coach's questions: one sentence asking for the most useful missing field, with the
quick replies the creator can tap."""

from __future__ import annotations

import random
from collections.abc import Sequence

from generation.engine.reading import style_keys

from .brief import brand_colors, proposal
from .tables import (
    COLOR_SUGGESTIONS,
    FAMILY_COMPOSITIONS,
    MOOD_SUGGESTIONS,
    QUICK_TARGETS,
    SCENE_TITLES,
    STYLE_SUGGESTIONS,
    SUBJECT_HINTS,
    SUBJECT_IDEAS,
)
from .types import BrandContext, Brief, TargetOption
from .wording import and_list, cap, color_list, or_list, short_label, target_name, with_article


def ask(
    name: str,
    brief: Brief,
    brand: BrandContext,
    target: TargetOption | None,
    targets: Sequence[TargetOption],
    rng: random.Random,
) -> tuple[str, tuple[str, ...]]:
    """The question for one field (a single sentence ending in "?"), with its quick replies."""
    if name == "target":
        return _ask_target(brief, targets)
    if target is None or not name:
        return "", ()
    family = target.family
    offer = proposal(name, brief, brand, target)
    if name == "subject":
        hint = SUBJECT_HINTS.get(family, "")
        if brand.has_logo:
            hint += " Your logo works too."
        question = rng.choice(("What should it show?", "What's the subject?", "What should be on it?"))
        first, *others = SUBJECT_IDEAS.get(family, SUBJECT_IDEAS["emote"])
        ideas = [first, *rng.sample(others, 2)]
        if brand.has_logo:
            ideas = [*ideas[:2], "My logo"]
        return f"{hint} {question}".strip(), tuple(ideas)
    if name == "text":
        return _ask_text(brand, target)
    if name == "style":
        if brand.style:
            question = (
                f"Your kit's style is {brand.style}: shall I use that, "
                "or go for something else, like neon, pixel art or anime?"
            )
            options = [cap(brand.style), *(s for s in STYLE_SUGGESTIONS if s.lower() != brand.style.lower())]
            return question, tuple(options[:4])
        return (
            f"Which style should it have: {or_list(['neon', 'pixel art', 'cartoon', 'anime', '3D'])}?",
            STYLE_SUGGESTIONS,
        )
    if name == "mood":
        looks = f"With {brief.style} style" if brief.style else "For this"
        mood = with_article(str(offer), force=True)
        question = f"{looks}, {mood} mood would work well. What mood are you after?"
        options = [cap(str(offer)), *(m for m in MOOD_SUGGESTIONS if m.lower() != offer)]
        return question, tuple(options[:4])
    if name == "colors":
        if brand_colors(brand):
            question = (
                f"Your brand colours are {color_list(brand_colors(brand), brand)}. "
                "Shall I use those, or would you like other colours (names or hex codes)?"
            )
            return question, ("Use my brand colours", *COLOR_SUGGESTIONS[:2])
        look = brief.style or brief.mood
        for_look = f" for a {look} look" if look else ""
        question = (
            f"I'd suggest {and_list(list(offer))}{for_look}. "
            "Shall I use those, or would you like other colours (names or hex codes)?"
        )
        return question, ("Sounds good", *COLOR_SUGGESTIONS[:2])
    default, first, second = FAMILY_COMPOSITIONS.get(family, ("subject centred", "Close-up", "Full body"))
    question = (
        f"For the layout I'd go with {default}. Does that work, or would you like something else, "
        f"like {first.lower()} or {second.lower()}?"
    )
    return question, ("Sounds good", first, second)


def _ask_target(brief: Brief, targets: Sequence[TargetOption]) -> tuple[str, tuple[str, ...]]:
    if brief.platform:
        offered = [t for t in targets if t.platform == brief.platform]
        if offered:
            label = offered[0].platform_label
            names = [short_label(t) for t in offered]
            question = f"Which {label} asset should it be: {or_list([n.lower() for n in names[:6]])}?"
            return question, tuple(f"{label} {n.lower()}" for n in names[:4])
    by_key = {t.key: t for t in targets}
    picks = [(by_key[key], phrase) for key, phrase in QUICK_TARGETS if key in by_key][:4]
    if len(picks) < 2:
        picks = [(t, cap(target_name(t))) for t in targets[:4]]
    if not picks:
        return "What would you like to make?", ()
    names = [with_article(target_name(t), force=True) for t, _ in picks]
    return f"What are we making today: {', '.join(names)} or something else?", tuple(p for _, p in picks)


def _ask_text(brand: BrandContext, target: TargetOption) -> tuple[str, tuple[str, ...]]:
    family = target.family
    if target.asset_type in SCENE_TITLES:
        default, other = SCENE_TITLES[target.asset_type]
        return (
            f"The title defaults to “{default}”. Shall I keep it, or should it say something else?",
            ("Sounds good", f"“{other}”", "No text"),
        )
    if family == "thumbnail":
        return (
            "Thumbnail text works best as 2–4 big words, like “I WON” or “1 HP CLUTCH”. "
            "What should the headline say?",
            ("“I WON”", "“1 HP CLUTCH”", "No text"),
        )
    if family == "panel":
        return (
            "Panels need a short label, like About, Schedule or Rules. What should this one say?",
            ("“About”", "“Schedule”", "“Rules”", "“Donate”"),
        )
    if family == "banner":
        if brand.channel_name:
            return (
                f"Banners usually carry the channel name, “{brand.channel_name}”, maybe with a schedule. "
                "What text should it have?",
                ("Sounds good", "“LIVE DAILY 7 PM”", "No text"),
            )
        return (
            "Banners usually carry the channel name, maybe with a schedule. What text should it have?",
            ("“LIVE DAILY 7 PM”", "No text"),
        )
    if family == "cover":
        return (
            "A short headline helps a cover stand out. What should it say, if anything?",
            ("“WAIT FOR IT”", "No text"),
        )
    return (
        "Text is optional here, and small assets often read better without it. "
        "Want a short word on it, like “GG” or “HYPE”?",
        ("“GG”", "“HYPE”", "No text"),
    )


def tweak_suggestions(brief: Brief) -> tuple[str, ...]:
    styles = style_keys(brief.style)
    style = next(
        (said for said in ("pixel art", "neon", "cartoon") if style_keys(said)[0] not in styles), "retro"
    )
    mood = next((m for m in ("cozy", "hype", "funny") if m not in brief.mood), "epic")
    return (f"Try {style} instead", f"Make it {mood}", "Start over")
