"""The words an AI image provider gets: the brief, the brand, and the asset type's rules.

The engine sets all text itself, so the prompt always asks for art with no lettering at all,
and says where to leave room for the words the engine will add. Besides the creator's words,
the model gets the engine's reading of them (``reading.understand``, with the brief's own
layout, style and colours over the words): the subject with its colour and accessories, the
colours, the style and the composition, so it draws what the local engine would.
"""

from __future__ import annotations

from platforms.types import PlatformSpec

from . import layout
from .colors import hex_to_rgb
from .geometry import closest_aspect_ratio
from .reading import split_text
from .reading_result import Reading, label
from .types import REFERENCE_ROLES, BrandSnapshot, Brief
from .vocabulary import LAYOUT_LABELS

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


# What each of the engine's styles looks like, for a model that draws it.
STYLE_LOOKS: dict[str, str] = {
    "neon": "glowing neon light and outlines against a dark backdrop",
    "cozy": "warm, soft light and rounded, friendly shapes",
    "retro": "an 80s and 90s retro look: bold gradients, chrome and sunset tones",
    "pixel": "pixel art: a visible pixel grid, a small palette, no smoothing",
    "pastel": "soft pastel colours and gentle, light shading",
    "grunge": "gritty textures, rough edges and worn, distressed surfaces",
    "minimal": "minimal flat shapes, few details and clean empty space",
    "comic": "comic-book style: bold ink outlines, flat colours and halftone shading",
}

# Where each composition puts the art and leaves room for the engine's words (engine/layout.py
# frames), per family; scenes and covers share theirs.
COMPOSITIONS: dict[str, dict[str, str]] = {
    "thumbnail": {
        "big_subject": "one big subject on the right; keep the left 45 % simple and calm for the headline",
        "reaction": (
            "a big reacting face on the left, a circled detail at the top right, "
            "the lower right kept calm for the headline"
        ),
        "versus": (
            "two subjects facing each other, left and right, room at the top for the headline; "
            "a VS is added in the middle later"
        ),
        "top_list": (
            "the subject on the right; keep the left side simple: a large number is added there "
            "later, with the headline beside it"
        ),
        "before_after": (
            "the left half dull and muted (before), the right half vivid (after), "
            "room across the top for the headline"
        ),
        "title_card": "a small subject above a big centred title; keep the middle and lower half calm",
    },
    "banner": {
        "flanked": "art at both ends, the middle kept calm for the channel name",
        "hero": "one big subject on the left, the channel name beside it on the right",
        "pattern": "small copies of the subject repeated evenly over the banner, calm enough for the name",
    },
    "scene": {
        "spotlight": "the subject in the upper middle, the lower middle kept calm for a large title",
        "split": "the subject on the left half, the right half kept calm for the title",
        "pattern": (
            "small copies of the subject repeated evenly over the whole image, a calm band across "
            "the middle for the title"
        ),
    },
    "panel": {
        "icon_left": "one small icon on the left, room for a label on the right",
        "icon_right": "one small icon on the right, room for a label on the left",
        "pattern": "small copies of the icon repeated evenly, calm enough for a label on top",
    },
}
COMPOSITIONS["cover"] = {
    **COMPOSITIONS["scene"],
    "spotlight": "the subject in the upper middle, the lower middle kept calm for a title",
}
_TALL_SPLIT = "the subject in the lower half, the upper half kept calm for the title"
# A seed's other take on a composition (``Brief.variant`` 1, ``layout.frame``), where it has one.
VARIANTS: dict[tuple[str, str], str] = {
    ("thumbnail", "big_subject"): (
        "one big subject on the left; keep the right half simple and calm for the headline"
    ),
    ("thumbnail", "title_card"): "the subject on both sides of a big centred title; keep the middle calm",
}

_PLACES = {"head": "wearing", "face": "wearing", "hand": "holding", "around": "with"}


def _with_article(thing: str) -> str:
    if thing.endswith("s") or thing[:1].isdigit():
        return thing  # "sparkles", "sunglasses", "2nd place medal"
    return f"{'an' if thing[:1] in 'aeiou' else 'a'} {thing}"


def _colour(word: str, value: str) -> str:
    """ "purple #8E24AA"; a colour given only as a hex code is just the code."""
    return value if word.startswith("#") or word.upper() == value else f"{word} {value}"


def subject_line(reading: Reading) -> str:
    """ "a cat (purple #8E24AA), looking angry, wearing a crown": what the engine would draw."""
    if not reading.subjects:
        return ""
    main, *others = (_with_article(label(s)) for s in reading.subjects)
    text = main
    if reading.colours:
        text += f" ({_colour(*reading.colours[0])})"
    if others:
        text += " and " + " and ".join(others)
    if reading.expression:
        text += f", looking {reading.expression}"
    for accessory in reading.accessories:
        thing = _with_article(label(accessory.concept))
        text += f", {_PLACES.get(accessory.place, 'with')} {thing}"
        if accessory.place == "around":
            text += " around it"
    return text


def composition_line(spec: PlatformSpec, name: str, variant: int = 0) -> str:
    """ "versus split — two subjects facing each other, …": the layout and where things go."""
    room = COMPOSITIONS.get(spec.family, {}).get(name, "")
    if not room:
        return ""
    if variant:
        room = VARIANTS.get((spec.family, name), room)
    if name == "split" and spec.family == "cover" and spec.master.height > spec.master.width * 1.2:
        room = _TALL_SPLIT
    return f"{LAYOUT_LABELS.get(name, name)} — {room}"


def _family_rules(spec: PlatformSpec, brief: Brief, brand: BrandSnapshot, composed: bool) -> list[str]:
    """The family's own rules; ``composed``: a composition line says where things go, so the
    family's default placement is left out."""
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
        stamp = "Keep the bottom-right corner empty: the video length stamp covers it."
        if composed:
            return ["A YouTube thumbnail: dramatic lighting, high contrast, vivid colours.", stamp]
        return [
            "A YouTube thumbnail: one large focal subject on the right half, dramatic lighting, "
            "high contrast, vivid colours.",
            "Keep the left half simpler and darker: a headline will be added there.",
            stamp,
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
            *([] if composed else [where]),
        ]
    if family == "scene":
        return [
            f"A full-screen stream scene background ({m.width}×{m.height}).",
            *(
                []
                if composed
                else [
                    "Put the key subject in the upper half; keep the lower middle calm and uncluttered "
                    "for a large title."
                ]
            ),
        ]
    if family == "overlay":
        return [
            "A stream overlay frame: decoration only around the edges and a bar along the bottom.",
            "Leave the large game area (left), the webcam box (top right) and the chat box (below it) "
            "as plain flat areas: they will be cut out.",
        ]
    if family == "panel":
        if composed:
            return [f"A small channel panel header ({m.width}×{m.height}) with a simple background."]
        return [
            f"A small channel panel header ({m.width}×{m.height}): a simple background with one small "
            "icon on the left; room for a label on the right.",
        ]
    if family == "cover":
        shape = "vertical 9:16" if m.height > m.width else "square"
        if composed:
            return [
                f"A {shape} cover image.",
                "Keep the top and bottom bands simple (the app's buttons cover them).",
            ]
        return [
            f"A {shape} cover image with one subject in the upper middle.",
            "Keep the top and bottom bands simple (the app's buttons cover them) and leave room in "
            "the lower middle for a title.",
        ]
    return []


def build_art_prompt(spec: PlatformSpec, brief: Brief, brand: BrandSnapshot) -> str:
    """The prompt for an AI image provider: art only, in the brand's look, with room for text.

    ``brief.layout`` and ``brief.variant`` are the settled composition when the render asks
    (``render._compose``); without a layout, the words' own intent, else the family's default
    placement."""
    palette = brand.palette
    reading = layout.read_brief(spec, brief, brand)
    # The on-image words are set by the engine; the model must not try to write them.
    words, _ = split_text(brief.prompt)
    words = " ".join(words.split()).strip(" ,;:-")
    drawn = subject_line(reading)
    composition = composition_line(spec, reading.layout, brief.variant)
    lines = []
    if brief.instruction:
        # A refine: the previous image comes first in the request; change it as asked.
        lines.append(
            f"Edit the image above. The creator asks: {' '.join(brief.instruction.split())}. "
            "Keep its composition, subject and layout; change only what is asked."
        )
    lines += [
        f"Create artwork for a {spec.platform_label} {spec.label.lower()} "
        f"({spec.master.width}×{spec.master.height} pixels, "
        f"aspect ratio {closest_aspect_ratio(spec.master.width, spec.master.height)}).",
    ]
    if drawn:
        # An emote pack's quoted idea ('"GG"') leaves no words of its own: its subject is the base's.
        lines += [*([f"The creator asked for: {words}."] if words else []), f"Subject: {drawn}."]
    else:
        lines.append(f"Subject: {words or 'a bold mark that fits the brand'}.")
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
    if reading.colours:
        # The creator's colours lead the art; the kit keeps the words and the details.
        asked = ", ".join(_colour(word, value) for word, value in reading.colours)
        lines.append(
            f"Colours: {asked} for the subject and accents, and the main colours of the whole image. "
            "Stay close to these exact colours."
        )
        lines.append(f"Brand palette for small details only: {', '.join(colours)}.")
    else:
        lines.append(
            f"Colours: use the brand palette as the main colours, {', '.join(colours)}. "
            "Stay close to these exact colours."
        )
    if reading.styles:
        looks = (f"{style} — {STYLE_LOOKS[style]}" for style in reading.styles if style in STYLE_LOOKS)
        lines.append(f"Style: {'; '.join(looks)}.")
    if composition:
        lines.append(f"Composition: {composition}.")
    lines.extend(_family_rules(spec, brief, brand, composed=bool(composition)))
    avoid = [item.strip() for item in brand.avoid if item.strip()]
    if brief.negative_prompt.strip():
        avoid.append(brief.negative_prompt.strip())
    if avoid:
        lines.append(f"Avoid: {', '.join(avoid)}.")
    lines.append(NO_TEXT)
    return "\n".join(lines)
