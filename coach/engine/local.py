"""The local Prompt Coach: an offline, keyless, deterministic guided chat.

Each message is read (``reader``) with word tables (``tables``, data in ``coach/data/*.toml``)
and by the engine's own reading, and what it decides is folded into the brief (``brief``),
latest words winning. The reply says what it understood, then asks for the one most useful
missing thing (``questions``: in an order that depends on the asset family), proposing concrete
answers from the creator's brand kit and the target's platform rules, with quick replies the
creator can tap. A reply to "yes" / "up to you" takes the coach's proposal.

Every choice of phrasing comes from a generator seeded by the session seed and the turn
number, never from global state or the clock: the same request always streams the same events.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any

from generation.engine.reading import LAYOUT_LABELS, LAYOUTS
from generation.engine.reading import read as engine_read
from platforms import platform_label

from .brief import brand_colors, fold, is_ready, next_field, proposal, target_of
from .patterns import AFFIRM_RE, ENDS_WITH_STYLE_RE, GREETING_RE, QUESTION_RE, REFUSE_RE, SKIP_RE
from .questions import ask, tweak_suggestions
from .reader import Reading, has_content, read, style_field
from .tables import ALL_SET_LINES, GREETINGS, LEAD_INS, NOT_CAUGHT, QUESTION_LEADS, READY_LINES, TWEAK_LEADS
from .types import (
    MAX_TEXT,
    BrandContext,
    Brief,
    BriefUpdate,
    CoachError,
    CoachEvent,
    CoachRequest,
    Reply,
    TargetOption,
    Token,
)
from .wording import (
    and_list,
    as_subject,
    clip,
    color_list,
    decap,
    or_list,
    split_tokens,
    target_name,
    with_article,
)

EMPTY_MESSAGE = "Type a message for the coach."


# --- The reply ---------------------------------------------------------------------------------


def respond(request: CoachRequest) -> Reply:
    """The whole reply to one message (``LocalCoach.stream`` sends it as events)."""
    message = " ".join(request.message.split())
    if not message:
        raise CoachError(EMPTY_MESSAGE)
    rng = random.Random(f"{request.seed}:{len(request.history)}")  # noqa: S311 (phrasing, not secrets)
    brand, targets = request.brand, request.targets
    reading = read(message, brand, targets, request.brief)
    base = Brief() if reading.reset else request.brief
    base_target = target_of(base, targets)
    asking = next_field(base, base_target)
    if reading.brief == Brief() and not reading.reset and GREETING_RE.match(message):
        return _welcome(base, brand, base_target, targets, rng)
    decided = _with_answer(reading, message, base, asking, brand, base_target)
    folded = fold(base, decided)
    target = target_of(folded, targets)
    brief = _with_layout(_without_stale_defaults(folded, base, base_target, target, brand), target)

    parts: list[str] = []
    if reading.reset:
        parts.append("Fresh start: I've cleared the brief.")
    parts.extend(_acknowledge(base, brief, brand, target, rng))
    parts.extend(_notes(reading, base, brief, brand, target, targets))
    if brief == base and not parts:
        parts.append(_nothing_new(message, asking, base, brand, base_target, rng))
    ready = is_ready(brief, target)
    question, suggestions = ask(next_field(brief, target), brief, brand, target, targets, rng)
    if ready:
        parts.append(rng.choice(READY_LINES))
        parts.append(
            f"{rng.choice(TWEAK_LEADS)} {decap(question)}" if question else rng.choice(ALL_SET_LINES)
        )
        suggestions = suggestions or tweak_suggestions(brief)
    else:
        parts.append(question)
    return Reply(text=" ".join(p for p in parts if p), brief=brief, ready=ready, suggestions=suggestions)


def _nothing_new(
    message: str,
    asking: str,
    brief: Brief,
    brand: BrandContext,
    target: TargetOption | None,
    rng: random.Random,
) -> str:
    """The opening when a message changed nothing: a "no", a question, or words that fit nowhere."""
    if REFUSE_RE.match(message):
        return "No problem."
    if not QUESTION_RE.search(message):
        return rng.choice(NOT_CAUGHT)
    offer = proposal(asking, brief, brand, target)
    if not offer:
        return rng.choice(QUESTION_LEADS)
    pick = offer if isinstance(offer, str) else color_list(offer, brand)
    return f"I'd go with {pick}: say “yes” to use it."


def _with_answer(
    reading: Reading, message: str, base: Brief, asking: str, brand: BrandContext, target: TargetOption | None
) -> Brief:
    """What the message decides, with its loose words (or a "yes", "skip", "no") read as the
    answer to the question the coach last asked."""
    decided = reading.brief
    offer = proposal(asking, base, brand, target)
    if decided == Brief() and AFFIRM_RE.match(message):
        return _with_field(decided, asking, offer) if offer else decided
    if decided == Brief() and REFUSE_RE.match(message):
        if asking == "text":
            return replace(decided, avoid="text")
        return _with_field(decided, asking, offer) if offer and SKIP_RE.match(message) else decided
    if asking == "text" and not decided.text and message.isupper() and len(message.split()) <= 6:
        # Shouted words answering "what should it say?" are the text, even "HYPE".
        return replace(decided, text=message[:MAX_TEXT].rstrip())
    words = reading.leftover
    if not words:
        return decided
    if reading.cue or reading.correction:
        return replace(decided, subject=as_subject(words)) if has_content(words) else decided
    if QUESTION_RE.search(message):
        return decided
    if asking == "text" and not decided.text:
        return replace(decided, text=words[:MAX_TEXT].rstrip())
    if asking in {"subject", "style", "mood", "composition"} and not getattr(decided, asking):
        value = as_subject(words) if asking == "subject" else clip(words)
        return _with_field(decided, asking, value) if has_content(words) else decided
    if not base.subject and not decided.subject and has_content(words):
        return replace(decided, subject=as_subject(words))
    return decided


def _without_stale_defaults(
    brief: Brief, base: Brief, old: TargetOption | None, new: TargetOption | None, brand: BrandContext
) -> Brief:
    """After a switch to another kind of asset, drop the text and layout the coach proposed for
    the old one (a "Starting soon" title has no place on a banner); the creator's own stay."""
    if old is None or new is None or old.key == new.key:
        return brief
    if brief.text and brief.text == base.text == proposal("text", base, brand, old):
        brief = replace(brief, text="")
    same_layout = brief.composition == base.composition == proposal("composition", base, brand, old)
    if old.family != new.family and same_layout:
        brief = replace(brief, composition="")
    return brief


def _with_field(brief: Brief, name: str, value: str | tuple[str, ...]) -> Brief:
    """``brief`` with the field called ``name`` set (a style as the engine's style keys)."""
    changes: dict[str, Any] = {name: style_field([str(value)]) if name == "style" else value}
    return replace(brief, **changes)


def _with_layout(brief: Brief, target: TargetOption | None) -> Brief:
    """The brief's layout kept only when the target's family has it; none asked for, the one
    the subject's words ask for there ("me vs my brother" on a thumbnail is a versus)."""
    if target is None:
        return brief
    layouts = LAYOUTS.get(target.family, ())
    layout = brief.layout if brief.layout in layouts else ""
    if not layout and layouts and brief.subject:
        layout = engine_read(brief.subject, family=target.family).layout
    return replace(brief, layout=layout)


def _welcome(
    brief: Brief,
    brand: BrandContext,
    target: TargetOption | None,
    targets: Sequence[TargetOption],
    rng: random.Random,
) -> Reply:
    hello = rng.choice(GREETINGS) + (f", {brand.channel_name}" if brand.channel_name else "") + "!"
    if brief == Brief():
        intro = (
            "I'm your Prompt Coach: tell me your idea in plain words "
            "and I'll shape it into a brief you can generate from."
        )
        kit = [f"your {brand.style} style"] * bool(brand.style) + ["your colours"] * bool(brand.colors)
        if kit:
            intro += f" I'll keep it on-brand with {and_list(kit)}."
    else:
        intro = f"Here's the brief so far: {_summary(brief, target) or 'nothing yet'}."
    question, suggestions = ask(next_field(brief, target), brief, brand, target, targets, rng)
    ready = is_ready(brief, target)
    if ready:
        question = rng.choice(READY_LINES) + (
            f" {rng.choice(TWEAK_LEADS)} {decap(question)}" if question else ""
        )
    return Reply(
        text=f"{hello} {intro} {question}".strip(), brief=brief, ready=ready, suggestions=suggestions
    )


def _acknowledge(
    base: Brief, brief: Brief, brand: BrandContext, target: TargetOption | None, rng: random.Random
) -> list[str]:
    """One sentence per kind of change: the core (what, of what, style, mood), then the details."""
    changed = {name for name in brief.to_json() if getattr(brief, name) != getattr(base, name)}
    parts: list[str] = []
    if changed & {"platform", "asset_type", "subject", "style", "mood"} and (
        summary := _summary(brief, target)
    ):
        lead = rng.choice(LEAD_INS)
        parts.append(f"{lead}{decap(summary) if lead else summary}.")
    if "colors" in changed and brief.colors:
        parts.append(f"Colours: {color_list(brief.colors, brand)}.")
    if "text" in changed and brief.text:
        parts.append(f"On-image text: “{brief.text}”.")
    if "layout" in changed and brief.layout:
        parts.append(f"Layout: {LAYOUT_LABELS.get(brief.layout, brief.layout)}.")
    if "composition" in changed and brief.composition:
        parts.append(f"Composition: {brief.composition}.")
    if "avoid" in changed and brief.avoid:
        parts.append(f"Keeping out: {brief.avoid}.")
    return parts


def _summary(brief: Brief, target: TargetOption | None) -> str:
    """ "A Twitch emote of a cat with a crown, in neon style with a hype mood" (no full stop)."""
    if target is not None:
        text = with_article(target_name(target), force=True)
    elif brief.platform:
        text = f"Something for {_platform_label(brief.platform, ())}"
    else:
        text = ""
    if brief.subject:
        subject = _as_said_back(brief.subject)
        text = f"{text} of {with_article(subject)}" if text else with_article(subject)
    looks: list[str] = []
    if brief.style:
        looks.append(f"in {brief.style}" + ("" if ENDS_WITH_STYLE_RE.search(brief.style) else " style"))
    if brief.mood:
        looks.append(f"with {with_article(brief.mood, force=True)} mood")
    if looks:
        text = f"{text}, {' '.join(looks)}" if text else " ".join(looks)
    return text[:1].upper() + text[1:]


_SAID_BACK = {"my": "your", "me": "you", "i": "you", "mine": "yours", "myself": "yourself", "our": "your"}
_FIRST_PERSON_RE = re.compile(r"\b(" + "|".join(_SAID_BACK) + r")\b", re.IGNORECASE)


def _as_said_back(phrase: str) -> str:
    """The creator's words as the coach says them back: "my mascot" → "your mascot"."""
    return _FIRST_PERSON_RE.sub(lambda match: _SAID_BACK[match.group(1).lower()], phrase)


def _notes(
    reading: Reading,
    base: Brief,
    brief: Brief,
    brand: BrandContext,
    target: TargetOption | None,
    targets: Sequence[TargetOption],
) -> list[str]:
    """What the creator should know about how their words were read: a platform chosen for them,
    one that doesn't offer the asset, the target's specs, an empty brand palette, shortened text."""
    notes: list[str] = []
    named = reading.named_platform
    concept = reading.concept
    if named and not any(t.platform == named for t in targets):
        fallback = f", so I went with {with_article(target_name(target), force=True)}" if target else ""
        notes.append(f"I can't make {_platform_label(named, targets)} assets here yet{fallback}.")
    elif concept is not None and target is None:
        notes.append(f"I can't make {concept.noun} here.")
    elif concept is not None and target is not None and brief.spec_key != base.spec_key:
        home = named or base.platform
        real_home = named or home not in {"stream", "all"}
        if home and real_home and home != target.platform and any(t.platform == home for t in targets):
            notes.append(
                f"{_platform_label(home, targets)} has no {concept.noun} here, "
                f"so I went with {with_article(target_name(target), force=True)}."
            )
        elif not home:
            others = sorted(
                {t.platform_label for t in targets if t.asset_type in concept.asset_types}
                - {target.platform_label}
            )
            if others:
                notes.append(
                    f"You didn't name a platform, so I went with {target.platform_label}, "
                    f"the most common one for {concept.noun}: say {or_list(others)} to switch."
                )
    if target is not None and target.key != base.spec_key:
        rules = target.rules.split(". ")[0].rstrip(".")
        notes.append(f"Specs: {target.size}" + (f"; {rules}." if rules else "."))
    if reading.brand_colors_asked and not brand_colors(brand):
        notes.append("Your brand kit has no colours yet, so name some colours or hex codes.")
    if reading.text_clipped:
        notes.append(f"I shortened the text to {MAX_TEXT} characters: short text reads best.")
    return notes


def _platform_label(platform: str, targets: Sequence[TargetOption]) -> str:
    label = next((t.platform_label for t in targets if t.platform == platform), "")
    return label or platform_label(platform)


# --- The provider ------------------------------------------------------------------------------


class LocalCoach:
    """The offline coach: no keys, no network, the same events for the same request."""

    name = "local"
    model = "aurastream-coach-1"
    searches_web = False

    def __init__(self, *, token_delay_s: float = 0.0) -> None:
        self.token_delay_s = token_delay_s

    async def stream(self, request: CoachRequest) -> AsyncIterator[CoachEvent]:
        reply = respond(request)
        if reply.brief != request.brief:
            yield BriefUpdate(reply.brief)
        for index, token in enumerate(split_tokens(reply.text)):
            if index and self.token_delay_s > 0:
                await asyncio.sleep(self.token_delay_s)
            yield Token(token)
        yield reply
