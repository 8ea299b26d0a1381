"""The words an AI image provider gets: the brief, the brand, and the asset type's rules.

The engine sets all text itself, so the prompt always asks for art with no lettering at all,
and says where to leave room for the words the engine will add.
"""

from __future__ import annotations

from . import layout
from .colors import hex_to_rgb
from .layout import extract_on_image_text
from .types import REFERENCE_ROLES, BrandSnapshot, Brief, PlatformSpec

NO_TEXT = (
    "No text, no letters, no words, no numbers, no logos, no watermark, no signature anywhere in the image."
)


def key_colour(brand: BrandSnapshot) -> str:
    """A flat background colour far from the brand palette, for the engine to cut out."""
    palette = brand.palette
    colours = [
        hex_to_rgb(c)
        for c in (palette.primary, palette.secondary, palette.accent, palette.text, *palette.extras)
    ]
    greenish = any(g > 150 and g > r * 1.4 and g > b * 1.4 for r, g, b in colours)
    return "#FF00FF (magenta)" if greenish else "#00FF00 (pure green)"


def _family_rules(spec: PlatformSpec, brief: Brief, brand: BrandSnapshot) -> list[str]:
    m = spec.master
    plan = layout.text_plan(spec, brief, brand)
    family = spec.family
    cutout = (
        f"Put it on a completely flat, solid {key_colour(brand)} background: one colour, no gradient, "
        "no shadow or glow on the background, so it can be cut out cleanly."
    )
    if family == "emote":
        rules = [
            "Exactly one subject, centred and filling most of the square, like a Twitch emote.",
            "Bold, thick dark outline; simple flat shapes and big readable features that still read "
            "at 28 pixels.",
            cutout,
        ]
        if plan.title:
            rules.append(
                "Keep the subject in the upper two thirds: a word will be added across the bottom later."
            )
        return rules
    if family == "badge":
        return [
            "One simple, bold symbol (an emblem, not a scene) that reads at 18 pixels: few shapes, "
            "strong silhouette, thick outline.",
            "No frame, ring or border around it (the frame is added later).",
            cutout,
        ]
    if family == "icon":
        return [
            "One simple icon-like subject, centred, bold outline, flat colours, readable when tiny.",
            cutout,
        ]
    if family == "avatar":
        return [
            "A profile picture shown cropped to a circle: one subject centred inside the middle circle, "
            "nothing important near the corners.",
            "A simple background in the brand colours that fills the whole square.",
        ]
    if family == "thumbnail":
        return [
            "A YouTube thumbnail: one large focal subject on the right half, dramatic lighting, "
            "high contrast, vivid colours.",
            "Keep the left half simpler and darker: a headline will be added there.",
            "Keep the bottom-right corner empty: the video length stamp covers it.",
        ]
    if family == "banner":
        safe = layout.safe_rect(spec)
        if layout.banner_is_wide(spec):
            where = (
                "Put decorative elements towards the left and right ends; keep the middle calm for "
                "the channel name."
            )
        else:
            where = (
                "Put the key subject in the upper middle; keep the lower middle calm for the channel name."
            )
        return [
            f"A wide channel banner ({m.width}×{m.height}). Keep all key content inside the centred "
            f"{safe.width}×{safe.height} safe area; the edges get cropped on some screens.",
            where,
        ]
    if family == "scene":
        return [
            "A full-screen stream scene background (1920×1080).",
            "Put the key subject in the upper half; keep the lower middle calm and uncluttered for "
            "a large title.",
        ]
    if family == "overlay":
        return [
            "A stream overlay frame: decoration only around the edges and a bar along the bottom.",
            "Leave the large game area (left), the webcam box (top right) and the chat box (below it) "
            "as plain flat areas: they will be cut out.",
        ]
    if family == "panel":
        return [
            f"A small channel panel header ({m.width}×{m.height}): a simple background with one small "
            "icon on the left; room for a label on the right.",
        ]
    if family == "cover":
        shape = "vertical 9:16" if m.height > m.width else "square"
        return [
            f"A {shape} cover image with one subject in the upper middle.",
            "Keep the top and bottom bands simple (the app's buttons cover them) and leave room in "
            "the lower middle for a title.",
        ]
    return []


def build_art_prompt(spec: PlatformSpec, brief: Brief, brand: BrandSnapshot) -> str:
    """The prompt for an AI image provider: art only, in the brand's look, with room for text."""
    palette = brand.palette
    subject = " ".join(brief.prompt.split())
    quoted = extract_on_image_text(subject)
    if quoted:
        # The quoted words are set by the engine; the model must not try to write them.
        subject = subject.replace(f'"{quoted}"', "").replace(f"“{quoted}”", "").replace(f"'{quoted}'", "")
        subject = " ".join(subject.split())
    lines = []
    if brief.instruction:
        # A refine: the previous image comes first in the request; change it as asked.
        lines.append(
            f"Edit the image above. The creator asks: {' '.join(brief.instruction.split())}. "
            "Keep its composition, subject and layout; change only what is asked."
        )
    lines += [
        f"Create artwork for a {spec.platform_label} {spec.label.lower()} "
        f"({spec.master.width}×{spec.master.height} pixels, aspect ratio {spec.aspect_ratio}).",
        f"Subject: {subject or 'a bold mark that fits the brand'}.",
    ]
    first_image = 2 if brief.instruction else 1  # the edited image, when there is one, is image 1
    for number, reference in enumerate(brief.references, start=first_image):
        role = REFERENCE_ROLES.get(reference.role, REFERENCE_ROLES["other"])
        lines.append(f"Attached image {number} is {role}.")
    if brief.tier is not None and spec.family == "badge":
        lines.append(
            f"This is the {brief.tier}-month (or tier {brief.tier}) badge of a set; keep the same "
            "design for every tier."
        )
    style_bits = []
    if brand.art_style:
        style_bits.append(f"Art style: {brand.art_style}.")
    if brand.mood:
        style_bits.append(f"Mood: {brand.mood}.")
    if brand.keywords:
        style_bits.append(f"Themes: {', '.join(brand.keywords)}.")
    if style_bits:
        lines.append(" ".join(style_bits))
    colours = [
        f"primary {palette.primary}",
        f"secondary {palette.secondary}",
        f"accent {palette.accent}",
        f"background {palette.background}",
        *(f"extra {value}" for value in palette.extras),
    ]
    lines.append(
        f"Colours: use the brand palette as the main colours, {', '.join(colours)}. "
        "Stay close to these exact colours."
    )
    lines.extend(_family_rules(spec, brief, brand))
    avoid = [item.strip() for item in brand.avoid if item.strip()]
    if brief.negative_prompt.strip():
        avoid.append(brief.negative_prompt.strip())
    if avoid:
        lines.append(f"Avoid: {', '.join(avoid)}.")
    lines.append(NO_TEXT)
    return "\n".join(lines)
