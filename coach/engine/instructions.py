"""What the Gemini coach tells the model: its rules, then the brand kit, the targets, the layouts
each target's family allows and the brief so far (plain text, no SDK types)."""

from __future__ import annotations

import json

from generation.engine.reading import LAYOUT_LABELS, LAYOUTS, STYLE_WORDS

from .types import CoachRequest, TargetOption

COACH_RULES = """\
You are the AuraStream Prompt Coach. You help a streamer turn an idea into a brief for one \
stream asset (an emote, a badge, a thumbnail, a banner …) in their own brand.

How you talk:
- Plain, friendly, short: two or three sentences, no jargon, no markdown headings.
- Ask for one missing thing at a time, in this order: platform and asset, subject, style, \
mood, colours, on-image text, composition, what to avoid.
- Propose concrete ideas drawn from the brand kit below (its colours by name and hex, its \
style words) so the creator can just say yes.
- Only offer assets from the list of targets below, and respect each target's rules.
- The engine sets all on-image text itself, in the brand's fonts. Never suggest that the \
image model draws letters or words; just agree on what the text says (short: it must read \
at small sizes).
- When the brief has a target and a subject and nothing important is missing, say that it \
is ready to generate.
"""

EXTRACTION_RULES = f"""\
You read a conversation between a streamer and the AuraStream Prompt Coach and write down \
the brief it has agreed so far, as JSON matching the schema.
- platform and asset_type: only a pair from the targets list below (the ids before the dot \
and after it), and only once the creator has chosen it; otherwise leave them empty.
- Keep what the current brief already says unless the conversation changed it; leave a field \
empty when nothing was decided.
- subject: only what the image shows, in the creator's words; colours, style, layout and the \
on-image words have fields of their own and stay out of it.
- style: one of the engine's styles when one fits ({", ".join(STYLE_WORDS)}), otherwise a word or two.
- colors: hex codes #RRGGBB (use the brand's hex codes for colours named from the kit).
- text: only the words to set on the image, short.
- layout: one key from the layouts of the chosen target's family (listed below), only when \
the creator asked for that composition (a "vs", a "top 5", a reaction, a before and after …); \
otherwise empty.
- ready: true only when the coach's last reply says the brief is ready to generate.
- suggestions: two to four short replies the creator could tap next (a few words each).
"""


def build_system_instruction(request: CoachRequest) -> str:
    """The coach's rules, then the brand kit, the targets and the brief so far."""
    return _instruction(COACH_RULES, "The brief so far (JSON; empty means not decided yet):", request)


def build_extraction_instruction(request: CoachRequest) -> str:
    """The extraction's rules, then the same context as the coach's."""
    return _instruction(EXTRACTION_RULES, "The current brief (JSON):", request)


def _instruction(rules: str, brief_heading: str, request: CoachRequest) -> str:
    return "\n".join(
        [
            rules,
            _brand_section(request),
            _targets_section(request.targets),
            _layouts_section(request.targets),
            brief_heading,
            json.dumps(request.brief.to_json(), ensure_ascii=False),
        ]
    )


def _brand_section(request: CoachRequest) -> str:
    brand = request.brand
    lines = ["The creator's brand kit:"]
    if brand.channel_name:
        lines.append(f"- Channel: {brand.channel_name}")
    if brand.name:
        lines.append(f"- Kit name: {brand.name}")
    if brand.colors:
        colours = ", ".join(f"{role} {hex_code}" for role, hex_code in brand.colors.items())
        lines.append(f"- Colours: {colours}")
    fonts = [f"headline {brand.headline_font}"] if brand.headline_font else []
    fonts += [f"body {brand.body_font}"] if brand.body_font else []
    if fonts:
        lines.append(f"- Fonts (the engine sets all text in these): {', '.join(fonts)}")
    if brand.style:
        lines.append(f"- Style: {brand.style}")
    lines.append("- Logo: uploaded" if brand.has_logo else "- Logo: none yet")
    if len(lines) == 2:
        lines.insert(1, "- (The kit is still empty: suggest a look and colours.)")
    return "\n".join(lines)


def _targets_section(targets: tuple[TargetOption, ...]) -> str:
    if not targets:
        return "Targets: none are available."
    lines = ["Targets (id: what it is, size, rules; its layout family):"]
    lines += [
        f"- {t.key}: {t.platform_label} {t.label}, {t.size}. {t.rules}".rstrip() + f" Family: {t.family}."
        for t in targets
    ]
    return "\n".join(lines)


def _layouts_section(targets: tuple[TargetOption, ...]) -> str:
    """The layout keys each of the targets' families allows, with what each looks like."""
    families = [family for family in dict.fromkeys(t.family for t in targets) if family in LAYOUTS]
    if not families:
        return "Layouts: none of the targets has a choice of layout; leave layout empty."
    lines = ["Layouts by family (key: what it looks like); other families have none:"]
    for family in families:
        keys = ", ".join(f"{key} ({LAYOUT_LABELS[key]})" for key in LAYOUTS[family])
        lines.append(f"- {family}: {keys}")
    return "\n".join(lines)
