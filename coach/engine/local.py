"""The local Prompt Coach: an offline, keyless, deterministic guided chat.

Each message is read with word tables (platforms and assets, styles, moods, composition
phrases) and a few patterns (hex codes, quoted text, "no X"), and by the engine's own reading
(``generation.engine.reading``), which decides what the generator will make of the same words:
which colour words are colours, which words are a style (as the engine's style keys), the
on-image text, and the layout the words ask for on the target's family. What the tables and
the engine take is left out of the subject, so the subject is only what the image shows. What
a message decides is folded into the brief, latest words winning. The reply says what it
understood, then asks for the one most useful missing thing (in an order that depends on the
asset family), proposing concrete answers from the creator's brand kit and the target's
platform rules, with quick replies the creator can tap. A reply to "yes" / "up to you" takes
the coach's proposal.

Every choice of phrasing comes from a generator seeded by the session seed and the turn
number, never from global state or the clock: the same request always streams the same events.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from core.colors import normalize_hex
from generation.engine.reading import (
    COLOR_NAMES,
    COLOR_SHADES,
    LAYOUT_LABELS,
    LAYOUTS,
    STYLE_WORDS,
    split_text,
    style_keys,
)
from generation.engine.reading import read as engine_read

from .types import (
    MAX_FIELD,
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

EMPTY_MESSAGE = "Type a message for the coach."
MAX_MESSAGE = 2000  # characters read from one message: more is never a brief

# --- Word tables --------------------------------------------------------------------------------

# Platform words -> registry platform key. "stream" and "all" are the registry's pseudo-platforms
# for stream scenes and covers that suit every platform.
PLATFORM_WORDS: tuple[tuple[str, str], ...] = (
    ("youtube", r"you\s?tube|yt"),
    ("twitch", r"twitch(?:\.tv)?|ttv"),
    ("tiktok", r"tik\s?tok"),
    ("kick", r"kick(?:\.com)?(?!\s+(?:off|it|back|ass|in|out)\b)"),
    ("discord", r"discord"),
    ("stream", r"obs|stream\s?labs|stream\s+(?:scenes?|screens?)"),
    ("all", r"instagram|insta|any\s+platform|every\s+platform"),
)

PLATFORM_NAMES: dict[str, str] = {
    "youtube": "YouTube",
    "twitch": "Twitch",
    "tiktok": "TikTok",
    "kick": "Kick",
    "discord": "Discord",
    "stream": "stream scenes",
    "all": "cross-platform",
}


@dataclass(frozen=True)
class AssetConcept:
    """What a creator calls an asset, and the registry asset types that answer it, best first."""

    name: str
    pattern: str
    asset_types: tuple[str, ...]
    noun: str  # plural, for notes: "thumbnails"


# Most specific first: at one position the first pattern that matches wins ("sub badge" over "badge").
ASSET_CONCEPTS: tuple[AssetConcept, ...] = (
    AssetConcept(
        "animated_emote", r"animated\s+emotes?|gif\s+emotes?", ("animated_emote",), "animated emotes"
    ),
    AssetConcept(
        "sub_badge",
        r"sub(?:scriber)?\s+badges?|loyalty\s+badges?",
        ("sub_badge", "member_badge"),
        "sub badges",
    ),
    AssetConcept(
        "member_badge", r"member(?:ship)?\s+badges?", ("member_badge", "sub_badge"), "member badges"
    ),
    AssetConcept("bits_badge", r"bits?\s+badges?|cheer\s+badges?", ("bits_badge",), "bits badges"),
    AssetConcept("badge", r"badges?", ("sub_badge", "member_badge", "bits_badge"), "badges"),
    AssetConcept(
        "channel_points_icon",
        r"channel\s+points?(?:\s+icons?)?",
        ("channel_points_icon",),
        "channel points icons",
    ),
    AssetConcept("role_icon", r"role\s+icons?", ("role_icon",), "role icons"),
    AssetConcept(
        "server_icon", r"server\s+(?:icons?|logos?|pfps?|avatars?)", ("server_icon",), "server icons"
    ),
    AssetConcept("server_banner", r"server\s+banners?", ("server_banner",), "server banners"),
    AssetConcept("sticker", r"stickers?", ("sticker",), "stickers"),
    AssetConcept("watermark", r"watermarks?", ("watermark",), "watermarks"),
    AssetConcept("emoji", r"emojis?", ("emoji", "emote", "channel_emote", "live_emote"), "emoji"),
    AssetConcept("emote", r"emotes?|emoticons?", ("emote", "channel_emote", "live_emote", "emoji"), "emotes"),
    AssetConcept(
        "avatar",
        r"pfps?|avatars?|profile\s+(?:picture|pic|photo|image|icon)s?|display\s+pic(?:ture)?s?",
        ("profile_picture", "avatar", "profile_photo", "server_icon"),
        "profile pictures",
    ),
    AssetConcept(
        "offline_banner",
        r"offline\s+(?:banner|screen|image|scene)s?|video\s+player(?:\s*/\s*offline)?\s+banners?",
        ("offline_banner",),
        "offline banners",
    ),
    AssetConcept("thumbnail", r"thumbnails?", ("thumbnail",), "thumbnails"),
    AssetConcept(
        "banner",
        r"banners?|channel\s+art",
        ("channel_banner", "profile_banner", "banner", "server_banner"),
        "banners",
    ),
    AssetConcept("panel", r"panels?", ("panel",), "panels"),
    AssetConcept(
        "overlay",
        r"(?:gameplay\s+|webcam\s+|cam\s+)?overlays?|(?:web)?cam\s+frames?",
        ("overlay",),
        "overlays",
    ),
    AssetConcept(
        "starting_soon",
        r"starting\s+soon(?:\s+(?:screen|scene)s?)?|intro\s+(?:screen|scene)s?|pre-?stream\s+(?:screen|scene)s?",
        ("starting_soon",),
        "starting soon screens",
    ),
    AssetConcept(
        "brb",
        r"brb(?:\s+(?:screen|scene)s?)?|be\s+right\s+back(?:\s+(?:screen|scene)s?)?|"
        r"break\s+(?:screen|scene)s?|intermission(?:\s+(?:screen|scene)s?)?",
        ("brb",),
        "BRB screens",
    ),
    AssetConcept(
        "ending",
        r"(?:stream\s+)?end(?:ing)?\s+(?:screen|scene)s?|outro(?:\s+(?:screen|scene)s?)?",
        ("ending",),
        "ending screens",
    ),
    AssetConcept(
        "story_cover",
        r"(?:story|stories|shorts?|reels?|vertical)\s+covers?|shorts|reels|story|stories",
        ("story_cover",),
        "story covers",
    ),
    AssetConcept(
        "clip_cover", r"clip\s+covers?|feed\s+posts?|covers?", ("clip_cover", "story_cover"), "covers"
    ),
)

# Style words -> the style written into the brief (more specific first).
STYLES: tuple[tuple[str, str], ...] = (
    ("pixel art", r"pixel[\s-]?art|pixel(?:ated)?|8[\s-]?bit|16[\s-]?bit|retro\s+game"),
    ("synthwave", r"synth\s?wave|outrun|retro\s?wave"),
    ("vaporwave", r"vapou?r\s?wave"),
    ("cyberpunk", r"cyber\s?punk|cyber"),
    ("neon", r"neon|glow(?:ing|y)?"),
    ("retro", r"retro|vintage|old[\s-]?school|80s|90s|y2k"),
    ("anime", r"anime|manga"),
    ("chibi", r"chibi"),
    ("kawaii", r"kawaii"),
    ("cartoon", r"cartoon(?:y|ish)?"),
    ("comic", r"comic(?:[\s-]?book)?|pop[\s-]?art"),
    ("minimal flat", r"minimal(?:ist(?:ic)?)?|flat(?:\s+design)?|clean\s+lines"),
    ("3D", r"3d|3-d|three[\s-]dimensional|clay(?:mation)?"),
    ("low poly", r"low[\s-]?poly"),
    ("grunge", r"grunge|grungy|distressed"),
    ("watercolour", r"water[\s-]?colou?rs?|painted|painterly"),
    ("hand-drawn", r"hand[\s-]?drawn|sketch(?:y|ed)?|doodle"),
    ("realistic", r"realistic|photo[\s-]?real(?:istic)?|photographic"),
    ("cinematic", r"cinematic|movie[\s-]poster"),
    ("graffiti", r"graffiti|street\s+art"),
    ("gothic", r"gothic|goth"),
    ("pastel", r"pastels?"),
    ("lo-fi", r"lo[\s-]?fi"),
    ("esports", r"e[\s-]?sports?"),
    ("glitch", r"glitch(?:y|ed)?"),
    ("vector", r"vector"),
    ("fantasy", r"fantasy|medieval"),
)

# Mood words -> the mood written into the brief.
MOODS: tuple[tuple[str, str], ...] = (
    ("hype", r"hype[d]?|exciting|excited|pumped|insane"),
    ("cozy", r"cozy|cosy|comfy|snug|homey"),
    ("chill", r"chill(?:ed|y)?|relax(?:ed|ing)|calm|laid[\s-]?back|peaceful|mellow"),
    ("spooky", r"spooky|creepy|scary|horror|halloween|eerie"),
    ("funny", r"funny|silly|goofy|meme[ys]?|lol|humou?rous|derpy|comedic|playful"),
    ("epic", r"epic|heroic|legendary|majestic"),
    ("wholesome", r"wholesome|heart[\s-]?warming"),
    ("dark", r"dark|moody|edgy|ominous|sinister|menacing"),
    ("energetic", r"energetic|high[\s-]energy|dynamic|action[\s-]packed|intense"),
    ("cute", r"cute|adorable"),
    ("angry", r"angry|rage|raging|furious"),
    ("sad", r"sad|crying|tearful"),
    ("mysterious", r"myster(?:ious|y)|mystical"),
    ("dreamy", r"dreamy|ethereal|magical"),
    ("festive", r"festive|christmas|xmas|holiday"),
    ("professional", r"professional|sleek|polished"),
    ("shocked", r"shocked|surprised|omg"),
)


def _words(text: str) -> frozenset[str]:
    """A word table written as one string."""
    return frozenset(text.split())


# Composition phrases -> the composition written into the brief (positions are read separately).
COMPOSITIONS: tuple[tuple[str, str], ...] = (
    ("rule of thirds", r"rule\s+of\s+thirds"),
    ("close-up", r"close[\s-]?up|head\s?shot|face\s+only|zoomed[\s-]in"),
    ("full body", r"full[\s-]?body|whole\s+body|head\s+to\s+toe"),
    ("waist-up", r"half[\s-]?body|waist[\s-]?up"),
    ("wide shot", r"wide[\s-](?:shot|angle)|zoomed[\s-]out"),
    ("top-down view", r"top[\s-]?down|bird'?s[\s-]eye(?:\s+view)?"),
    ("low angle", r"low[\s-]angle|hero\s+shot"),
    ("dynamic tilted angle", r"dutch\s+angle|tilted|dynamic\s+angle"),
    ("symmetrical", r"symmetric(?:al)?"),
    ("split screen", r"split[\s-]?screen|side[\s-]by[\s-]side|before\s+and\s+after"),
    ("big bold text", r"(?:big|huge|large|bold|giant|massive)\s+(?:text|headline|title|letters|font|words?)"),
    ("small text", r"(?:small|subtle|tiny)\s+(?:text|headline|title|letters)"),
    (
        "bold outline",
        r"(?:thick|bold|white|black|strong)\s+(?:outline|border|stroke)s?|die[\s-]?cut|outlined",
    ),
    ("plain background", r"(?:plain|simple|clean|solid|empty)\s+(?:background|bg)"),
    ("lots of empty space", r"negative\s+space|empty\s+space|breathing\s+room"),
    ("centred", r"cent(?:er(?:ed)?|red?)|in\s+the\s+middle"),
)
POSITION_PATTERN = (
    r"(?:(?P<what>headline|text|title|logo|subject|character|face|mascot|me|name|channel\s+name|icon)\s+)?"
    r"(?:on|to|at|in)\s+the\s+(?P<side>(?:top|bottom)[\s-](?:left|right)|left|right|top|bottom)"
    r"(?:\s+(?:side|half|third|corner))?(?!\s+of\b)"
)

# --- Per-family knowledge -----------------------------------------------------------------------

TEXT_FAMILIES: frozenset[str] = frozenset({"thumbnail", "banner", "scene", "panel", "cover"})
TEXT_REQUIRED: frozenset[str] = frozenset({"thumbnail", "panel"})  # not ready without text (or "no text")

# The order the coach asks in, after the target: text early where the family carries it.
ASK_ORDER_TEXT: tuple[str, ...] = ("subject", "text", "style", "mood", "colors", "composition")
ASK_ORDER_ART: tuple[str, ...] = ("subject", "style", "mood", "text", "colors", "composition")

SUBJECT_HINTS: dict[str, str] = {
    "emote": "Emotes read best with one bold subject (a face, an animal, an object) at 28 px.",
    "badge": "Badges show at 18 px, so one simple shape works best: a gem, a sword, a paw.",
    "icon": "Icons are small, so one simple symbol works best.",
    "avatar": "It's shown as a circle, so a face or mascot in the middle works best.",
    "thumbnail": "A thumbnail sells the video with one big, clear focal point.",
    "banner": "Banners are wide and cropped on phones, so think of a backdrop with one focal point.",
    "scene": "It fills the whole screen, so a backdrop or a scene works well.",
    "overlay": "It frames your gameplay and webcam, so think of motifs for the edges.",
    "panel": "Panels are small: an icon or motif beside the label works best.",
    "cover": "Covers are seen at a glance: one clear subject works best.",
}
SUBJECT_IDEAS: dict[str, tuple[str, ...]] = {
    "emote": ("A cat with a crown", "A laughing frog", "A trophy", "A heart with wings", "A fox with a mic"),
    "badge": ("A gem", "A sword", "A paw print", "A crown", "A star"),
    "icon": ("A coin", "A gem", "A lightning bolt", "A potion"),
    "avatar": ("A fox in headphones", "A wolf", "A robot head", "An astronaut"),
    "thumbnail": ("Me holding a trophy", "A boss battle", "My setup at night", "A giant explosion"),
    "banner": ("A city skyline at night", "A mountain range at sunrise", "Floating islands", "A galaxy"),
    "scene": ("A desk setup with plants", "A city skyline at night", "A rainy window", "A space station"),
    "overlay": ("Circuit lines", "Clouds and stars", "Vines and leaves", "Hexagon patterns"),
    "panel": ("A controller", "A calendar", "A heart", "A speech bubble"),
    "cover": ("Me reacting", "A big win moment", "A plot twist", "A before and after"),
}
SCENE_TITLES: dict[str, tuple[str, str]] = {  # asset type -> (default title, an alternative)
    "starting_soon": ("Starting soon", "Grab a snack"),
    "brb": ("Be right back", "Back in 5"),
    "ending": ("Thanks for watching", "GG, see you next time"),
}
# The engine's style keys (generation.engine.reading.STYLE_WORDS) where one fits.
FAMILY_STYLES: dict[str, str] = {
    "emote": "comic",
    "badge": "comic",
    "icon": "comic",
    "avatar": "comic",
    "thumbnail": "cinematic",
    "banner": "minimal",
    "scene": "hand-drawn",
    "overlay": "minimal",
    "panel": "minimal",
    "cover": "cinematic",
}
FAMILY_MOODS: dict[str, str] = {
    "emote": "funny",
    "badge": "epic",
    "icon": "playful",
    "avatar": "confident",
    "thumbnail": "hype",
    "banner": "epic",
    "scene": "chill",
    "overlay": "energetic",
    "panel": "friendly",
    "cover": "hype",
}
STYLE_MOODS: dict[str, str] = {
    "neon": "hype",
    "synthwave": "chill",
    "vaporwave": "dreamy",
    "cyberpunk": "dark",
    "pixel": "playful",
    "retro": "playful",
    "comic": "funny",
    "kawaii": "cute",
    "chibi": "cute",
    "pastel": "cozy",
    "lo-fi": "chill",
    "gothic": "dark",
    "grunge": "dark",
    "esports": "hype",
    "watercolour": "wholesome",
    "fantasy": "epic",
    "cinematic": "epic",
}
# Palettes the coach proposes when the brand kit has no colours, by style or mood word.
PALETTES: dict[str, tuple[str, ...]] = {
    "neon": ("#FF2BD6", "#00E5FF", "#0B0B1A"),
    "synthwave": ("#FF6AD5", "#8B5CF6", "#1A1040"),
    "vaporwave": ("#FF71CE", "#01CDFE", "#B967FF"),
    "cyberpunk": ("#FCEE0A", "#00F0FF", "#1B1B2F"),
    "pixel": ("#3A86FF", "#FFBE0B", "#FB5607"),
    "pastel": ("#FFC8DD", "#BDE0FE", "#CDB4DB"),
    "kawaii": ("#FFC8DD", "#BDE0FE", "#FFFFFF"),
    "cozy": ("#F4C7A1", "#8B5E3C", "#FFF4E0"),
    "chill": ("#7FB7BE", "#D3F8E2", "#3D5A80"),
    "spooky": ("#FF7518", "#2E1A47", "#111111"),
    "dark": ("#8E24AA", "#E53935", "#111111"),
    "hype": ("#FF3D00", "#FFD600", "#111111"),
    "epic": ("#FFD700", "#1E3A8A", "#111111"),
    "festive": ("#C62828", "#2E7D32", "#FFD700"),
}
DEFAULT_PALETTE: tuple[str, ...] = ("#7C3AED", "#F59E0B", "#111827")
FAMILY_COMPOSITIONS: dict[str, tuple[str, str, str]] = {  # family -> (proposal, alternative, alternative)
    "emote": ("subject centred with a bold outline so it reads at 28 px", "Close-up", "Full body"),
    "badge": (
        "one simple centred shape with a thick outline so it reads at 18 px",
        "Centred",
        "Bold outline",
    ),
    "icon": ("one centred symbol with a thick outline so it reads small", "Centred", "Bold outline"),
    "avatar": ("subject centred inside the circle crop, face filling the middle", "Close-up", "Waist-up"),
    "thumbnail": (
        "headline on the left, subject on the right, clear of the bottom-right time stamp",
        "Headline on the right",
        "Big text",
    ),
    "banner": (
        "text and subject in the centre safe area, decoration out to the sides",
        "Centred",
        "Logo on the left",
    ),
    "scene": ("title centred in the upper third, subject below it", "Centred", "Rule of thirds"),
    "overlay": (
        "decoration on the frame edges, the game and webcam areas left clear",
        "Symmetrical",
        "Bold outline",
    ),
    "panel": ("label centred and big enough to read across the panel", "Centred", "Big text"),
    "cover": (
        "subject in the middle, headline at the top, clear of the app buttons",
        "Close-up",
        "Text at the top",
    ),
}
# Quick replies for "what are we making?", in order of how often creators ask for them.
QUICK_TARGETS: tuple[tuple[str, str], ...] = (
    ("twitch.emote", "Twitch emote"),
    ("youtube.thumbnail", "YouTube thumbnail"),
    ("twitch.sub_badge", "Sub badges"),
    ("stream.starting_soon", "Starting soon screen"),
    ("youtube.channel_banner", "YouTube banner"),
    ("discord.emoji", "Discord emoji"),
    ("twitch.panel", "Twitch panel"),
    ("stream.overlay", "Stream overlay"),
)
STYLE_SUGGESTIONS: tuple[str, ...] = ("Neon", "Pixel art", "Cartoon", "Cozy pastel")
MOOD_SUGGESTIONS: tuple[str, ...] = ("Hype", "Cozy", "Funny", "Epic")
COLOR_SUGGESTIONS: tuple[str, ...] = ("Black and gold", "Purple and teal", "Red and white")

# --- Phrasing variants (picked with the turn's seeded generator) -------------------------------

LEAD_INS: tuple[str, ...] = ("", "Got it: ", "Nice: ", "Love it: ", "Okay: ")
READY_LINES: tuple[str, ...] = (
    "The brief is ready: you can generate from it now.",
    "That's enough to go on: the brief is ready and you can generate from it now.",
    "Brief's ready: you can generate from it now.",
)
TWEAK_LEADS: tuple[str, ...] = ("Optionally,", "If you'd like to fine-tune it first,", "One optional tweak:")
ALL_SET_LINES: tuple[str, ...] = (
    "Every field is filled in: generate whenever you like, or tell me what to change.",
    "That's the full brief: generate it now, or tell me anything you'd like changed.",
)
NOT_CAUGHT: tuple[str, ...] = (
    "I didn't catch anything new in that.",
    "I'm not sure what to change from that.",
)
QUESTION_LEADS: tuple[str, ...] = ("Good question.", "Happy to help.")
GREETINGS: tuple[str, ...] = ("Hi", "Hey", "Welcome")

# --- Compiled patterns -------------------------------------------------------------------------

_I = re.IGNORECASE


def _alternation(patterns: Iterable[tuple[str, str]]) -> re.Pattern[str]:
    """One pattern whose numbered group ``g<i>`` is the i-th table row, matched as whole words."""
    body = "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(patterns))
    return re.compile(rf"(?<![\w#])(?:{body})(?![\w])", _I)


PLATFORM_RE = _alternation(PLATFORM_WORDS)
# The asset with its article and "pack" or "set" ("a youtube thumbnail reacting…" leaves
# "reacting…", not "a reacting…"): none of it is part of the subject.
CONCEPT_RE = _alternation(
    (c.name, rf"(?:(?:an?|the|my|our)\s+)?(?:{c.pattern})(?:\s+(?:packs?|sets?|bundles?|sheets?))?")
    for c in ASSET_CONCEPTS
)
STYLE_RE = _alternation(STYLES)
MOOD_RE = _alternation(MOODS)
COMPOSITION_RE = _alternation(COMPOSITIONS)
POSITION_RE = re.compile(rf"\b{POSITION_PATTERN}\b", _I)
# Words the engine reads as a style that no table here names ("simple", "futuristic", "soft").
_ENGINE_STYLE_WORDS = sorted({w for words in STYLE_WORDS.values() for w in words}, key=len, reverse=True)
ENGINE_STYLE_RE = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, _ENGINE_STYLE_WORDS))})(?![\w-])", _I)
_COLOR_WORDS = "|".join(
    r"[\s-]?".join(re.escape(part) for part in re.split(r"[\s-]", name))
    for name in sorted(COLOR_NAMES, key=len, reverse=True)
)
COLOR_RE = re.compile(
    rf"(?<![\w-])(?:(?P<shade>{'|'.join(COLOR_SHADES)})\s+)?(?P<name>{_COLOR_WORDS})(?![\w-])",
    _I,
)
HEX_RE = re.compile(r"(?<![\w&])#(?P<hex>[0-9a-f]{6}|[0-9a-f]{3})(?![\w])", _I)
QUOTED_RE = re.compile(
    r"\"(?P<a>[^\"]+)\"|“(?P<b>[^”]+)”|„(?P<c>[^“”]+)[“”]|«(?P<d>[^»]+)»|‘(?P<e>.+?)’(?!\w)|(?<!\w)'(?P<f>.+?)'(?!\w)"
)
NAMING_RE = re.compile(r"\b(?:named|called|name\s+is)\s*$", _I)
_CLAUSE_END = r"(?=\s+(?:and|but|please|so|instead|because|though)\b|[.,;!?]|$)"
AVOID_RE = re.compile(
    r"\b(?:no|avoid(?:ing)?|without|don'?t\s+(?:want|use|include|add|put)|do\s+not\s+(?:want|use|include|add|put)|"
    r"not?\s+any|skip\s+the|leave\s+out)\s+"
    r"(?!(?:thanks?|thank|need|worries|problem|idea|preference|rush|matter|clue|i|i'm|we|it|that|this)\b)"
    rf"(?P<what>[^.,;!?]+?){_CLAUSE_END}",
    _I,
)
DISCARD_RE = re.compile(
    rf"\b(?:instead\s+of|rather\s+than|not)\s+(?:an?\s+|the\s+)?[^.,;!?]+?{_CLAUSE_END}", _I
)
TEXT_CUE_RE = re.compile(
    r"\b(?:(?:that|it|which)\s+)?(?:says?|saying|reads?|reading)\s+(?P<a>[^.,;!?]+)"
    r"|\b(?:the\s+)?(?:text|headline|title|caption|label|words?)\s*(?:is|should\s+be|will\s+be|:|=)\s*(?P<b>[^.,;!?]+)",
    _I,
)
# "with the text GG", "text Schedule": capitalised words right after the cue (their case is what
# sets them apart, so only the cue is read without regard to case).
NAMED_TEXT_RE = re.compile(
    r"(?i:\b(?:with\s+)?(?:the\s+)?(?:text|headline|title|caption|label))\s+"
    r"(?P<c>[A-Z0-9][\w!?'&%$#@+-]*(?:\s+[A-Z0-9][\w!?'&%$#@+-]*)*)"
)
BRAND_COLORS_RE = re.compile(
    r"\b(?:(?:my|our|the)\s+)?(?:brand(?:\s+kit)?|kit(?:'s)?|channel(?:'s)?|own)\s+(?:colou?rs?|palette)\b"
    r"|\bon[\s-]brand\s+colou?rs?\b",
    _I,
)
BRAND_STYLE_RE = re.compile(
    r"\b(?:(?:my|our|the)\s+)?(?:brand(?:\s+kit)?|kit(?:'s)?)\s+(?:style|look)\b|\bon[\s-]brand\b", _I
)
RESET_RE = re.compile(
    r"\b(?:start(?:ing)?\s+(?:over|again|fresh)|reset|from\s+scratch|(?:clear|new)\s+(?:the\s+|my\s+)?brief)\b",
    _I,
)
CORRECTION_RE = re.compile(r"\b(?:actually|instead|rather|change|switch|swap|scratch\s+that)\b", _I)
CUE_RE = re.compile(r"^(?:(?:an?|the)\s+)?(?:of|featuring|feat\.?|showing|depicting|starring)\b", _I)
FILLER_RE = re.compile(
    r"\b(?:"
    r"i(?:'d|\s+would)?\s+(?:really\s+)?(?:want|like|love|need)(?:\s+to\s+(?:make|create|get|have|do|design))?"
    r"|i'?m\s+(?:thinking(?:\s+of)?|looking\s+for|after)"
    r"|(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:make|create|do|design|draw|generate|give)(?:\s+me)?"
    r"|(?:let'?s|lets)\s+(?:do|make|go\s+with|try)|how\s+about|what\s+about|go\s+with"
    r"|make\s+(?:me|it|them|this|that)|make|create|design|draw|generate|give\s+me|try|use"
    r"|change\s+(?:it|that|the\s+\w+)\s+to|switch\s+(?:it\s+)?to|swap\s+(?:it\s+)?(?:for|to)|scratch\s+that"
    r"|actually|instead|rather|also|too|just|really|very|kind\s+of|sort\s+of|maybe|something|some"
    r"|style[ds]?|vibes?|looks?|feel(?:ing)?|mood|aesthetic|themed?"
    r"|colou?r(?:s|ed)?(?:\s+(?:scheme|palette))?|palette"
    r"|for\s+(?:my|our|the)\s+(?:\w+\s+)?(?:channel|stream|server|community|viewers|subs|chat|page|profile)"
    r"|(?:screen|scene)s?|static|new|ok(?:ay)?|hmm+|umm*|uh|idk|dunno|please|pls|plz|thanks|thank\s+you"
    r"|hi|hey|hello|yo"
    r")\b",
    _I,
)
AFFIRM_RE = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|ok(?:ay)?|sounds\s+(?:good|great|perfect)|looks\s+(?:good|great)|perfect|great|"
    r"cool|nice|fine|do\s+it|go\s+for\s+it|go\s+ahead|let'?s\s+do\s+it|that\s+works|works\s+for\s+me|love\s+it|"
    r"up\s+to\s+you|you\s+(?:choose|pick|decide)|your\s+call|surprise\s+me|whatever(?:\s+you\s+think)?|default|"
    r"i\s+don'?t\s+mind|don'?t\s+care|no\s+preference|keep\s+it|use\s+(?:that|those|it|them))"
    r"(?:[\s,!.]+(?:please|thanks|thank\s+you|then))*[\s!.👍]*$",
    _I,
)
REFUSE_RE = re.compile(
    r"^(?:no|nope|nah|none|nothing|no\s+thanks|not\s+needed|no\s+need|skip(?:\s+it)?|pass)[\s!.,]*$", _I
)
SKIP_RE = re.compile(r"^(?:skip|pass)\b", _I)
GREETING_RE = re.compile(
    r"^(?:hi|hello|hey|hiya|yo|sup|howdy|good\s+(?:morning|afternoon|evening)|help|what\s+can\s+you\s+do|"
    r"how\s+does\s+this\s+work|start)(?:\s+(?:there|coach|again))?[\s!.?,👋]*$",
    _I,
)
QUESTION_RE = re.compile(r"\?\s*$|^(?:what|which|how|any|suggest|ideas?|recommend)\b", _I)
NO_TEXT_RE = re.compile(r"(?:any\s+|the\s+)?(?:text|words?|lettering|writing|letters|title|headline)", _I)
TOKEN_RE = re.compile(r"\s*\S+\s*")
SPACE_BEFORE_PUNCTUATION_RE = re.compile(r"\s+([,;:.!?])")
REPEATED_SEPARATOR_RE = re.compile(r"([,;:])(?:\s*[,;:])+")
CLAUSE_RE = re.compile(r"\s*[,;:]\s*")
ARTICLE_RE = re.compile(r"\b(an?|An?)\s+(\w)")
ENDS_WITH_STYLE_RE = re.compile(r"\b(?:style|look)$", _I)
LABEL_QUALIFIER_RE = re.compile(r"(?P<outer>.+?)\s*\((?P<inner>[^)]+)\)")
PRONOUN_I_RE = re.compile(r"I\b")
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
SPACES_RE = re.compile(r"\s+")

_ARTICLES = frozenset({"a", "an", "the"})
_LEAD_WORDS = _ARTICLES | _words(
    "of featuring feat showing depicting starring with and for in on to it is be that about but or so then"
)
_TRAIL_WORDS = _ARTICLES | _words("in with and or of for on to at but that is my our as by from please it")
_STOP_WORDS = (
    _LEAD_WORDS
    | _TRAIL_WORDS
    | _words(
        "this what which how would could should can do does you your i we us so at work good best "
        "suggest idea ideas recommend think like want need yes no not sure"
    )
)
_DETERMINERS = _words("a an the my our your his her their me you this that these those some two three")


# --- Reading a message -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """Everything one message says, before it is folded into the conversation's brief."""

    brief: Brief  # the fields this message decides (empty: not mentioned)
    leftover: str = ""  # the words no table recognised, tidied ("a cat with a crown")
    cue: bool = False  # the leftover was introduced as a subject ("of …", "featuring …")
    correction: bool = False  # "actually", "instead" …: the leftover replaces the subject
    reset: bool = False  # "start over": the brief before this message is dropped
    named_platform: str = ""  # a platform the creator named, offered or not
    concept: AssetConcept | None = None  # the asset the creator named
    brand_colors_asked: bool = False
    text_clipped: bool = False


def read(
    text: str, brand: BrandContext, targets: Sequence[TargetOption], current: Brief | None = None
) -> Reading:
    """Read one message: every field it decides, plus the words no table recognised.

    ``current`` is the brief before the message; it only steers which target a bare asset or
    platform word means ("banner" on a YouTube brief is the YouTube channel banner).
    """
    rest = text[:MAX_MESSAGE]
    rest, reset = _take_reset(rest)
    current = Brief() if reset or current is None else current
    said = rest
    rest, on_image, names_kept, clipped = _take_quotes(rest)
    rest, avoid = _take_avoid(rest)
    rest = DISCARD_RE.sub(" ", rest)
    rest, colors, brand_colors_asked = _take_colors(rest, brand, engine_read(said).colours)
    rest, style = _take_brand_style(rest, brand)
    rest, composition = _take_composition(rest)
    if not on_image and not names_kept:
        rest, on_image, clipped = _take_text_cue(rest)
    rest, platform = _take_first(rest, PLATFORM_RE, [key for key, _ in PLATFORM_WORDS])
    rest, concept_name = _take_first(rest, CONCEPT_RE, [c.name for c in ASSET_CONCEPTS])
    concept = next((c for c in ASSET_CONCEPTS if c.name == concept_name), None)
    rest, styles = _take_all(rest, STYLE_RE, [name for name, _ in STYLES])
    rest, moods = _take_all(rest, MOOD_RE, [name for name, _ in MOODS])
    rest, engine_styles = _take_all_words(rest, ENGINE_STYLE_RE)
    if not on_image and not names_kept and not text.isupper():
        # What the engine would set as text ("GG EZ" shouted in a sentence), once the asset and
        # platform words ("OBS BRB") are out of the way; a message shouted whole is not its text.
        rest, on_image, clipped = _take_engine_text(rest)
    target = resolve_target(platform, concept, current, targets)
    offered_platform = platform if any(t.platform == platform for t in targets) else ""
    correction = bool(CORRECTION_RE.search(text))
    leftover, cue = _leftover(rest)
    on = target or target_of(current, targets)
    decided = Brief(
        platform=target.platform if target else offered_platform,
        asset_type=target.asset_type if target else "",
        style=style_field([style] if style else [*styles, *engine_styles]),
        mood=_clip(", ".join(moods)),
        colors=colors,
        text=on_image,
        layout=engine_read(said, family=on.family).layout if on else "",
        composition=_clip(composition),
        avoid=_clip(avoid),
    )
    return Reading(
        brief=decided,
        leftover=leftover,
        cue=cue,
        correction=correction,
        reset=reset,
        named_platform=platform,
        concept=concept,
        brand_colors_asked=brand_colors_asked,
        text_clipped=clipped,
    )


def read_message(
    text: str, brand: BrandContext, targets: Sequence[TargetOption], current: Brief | None = None
) -> Brief:
    """The brief fields this message decides; its unrecognised words become the subject when
    they are introduced as one ("of a cat", "featuring my mascot") or the brief has none yet."""
    reading = read(text, brand, targets, current)
    has_subject = bool(current and current.subject and not reading.reset)
    if reading.leftover and _has_content(reading.leftover) and (reading.cue or not has_subject):
        return replace(reading.brief, subject=_as_subject(reading.leftover))
    return reading.brief


def _take_reset(text: str) -> tuple[str, bool]:
    stripped, count = RESET_RE.subn(" ", text)
    return stripped, count > 0


def _take_quotes(text: str) -> tuple[str, str, bool, bool]:
    """Quoted words become on-image text, except a quoted name ("called “Bitsy”"), which stays."""
    found: list[str] = []
    names_kept = False

    def take(match: re.Match[str]) -> str:
        nonlocal names_kept
        inner = next(group for group in match.groups() if group is not None).strip()
        if NAMING_RE.search(match.string[: match.start()]):
            names_kept = True
            return inner
        found.append(inner)
        return " "

    rest = QUOTED_RE.sub(take, text)
    on_image = " ".join(" ".join(found).split())
    return rest, on_image[:MAX_TEXT].rstrip(), names_kept, len(on_image) > MAX_TEXT


def _take_avoid(text: str) -> tuple[str, str]:
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        what = _strip_words(match.group("what").split(), _ARTICLES, _TRAIL_WORDS)
        if what:
            found.append(" ".join(what))
        return " "

    rest = AVOID_RE.sub(take, text)
    return rest, ", ".join(dict.fromkeys(found))


def _take_colors(
    text: str, brand: BrandContext, engine_colours: Sequence[tuple[str, str]]
) -> tuple[str, tuple[str, ...], bool]:
    """Hex codes, colour names used as colours, and "my brand colours", in the order written.

    A colour word is a colour when the engine's reading of the message (``engine_colours``:
    word as written, hex) takes it as one; one that names a thing ("a black cat", "a red heart")
    stays in the subject, as the art draws it.
    """
    found: list[tuple[int, tuple[str, ...]]] = []
    asked_brand = False
    colour_words: dict[str, list[str]] = {}
    for word, value in engine_colours:
        if not word.startswith("#"):
            colour_words.setdefault(word, []).append(value)

    def take_brand(match: re.Match[str]) -> str:
        nonlocal asked_brand
        asked_brand = True
        found.append((match.start(), brand_colors(brand)))
        return " " * len(match.group())

    def take_hex(match: re.Match[str]) -> str:
        found.append((match.start(), (normalize_hex(match.group("hex")),)))
        return " " * len(match.group())

    def take_name(match: re.Match[str]) -> str:
        values = colour_words.get(" ".join(match.group().lower().split()))
        if not values:
            return match.group()
        found.append((match.start(), (values.pop(0),)))
        return " " * len(match.group())

    # Same-length blanks keep the positions comparable across the three passes.
    rest = BRAND_COLORS_RE.sub(take_brand, text)
    rest = HEX_RE.sub(take_hex, rest)
    rest = COLOR_RE.sub(take_name, rest)
    ordered = [value for _, values in sorted(found, key=lambda item: item[0]) for value in values]
    return rest, tuple(dict.fromkeys(ordered))[:6], asked_brand


def _take_brand_style(text: str, brand: BrandContext) -> tuple[str, str]:
    """ "My brand style" or the kit's own style words ("bold neon") -> the kit's style."""
    if not brand.style:
        return text, ""
    own = re.compile(rf"(?<!\w){re.escape(brand.style)}(?!\w)", _I)
    rest, count = own.subn(" ", text)
    rest, count_named = BRAND_STYLE_RE.subn(" ", rest)
    return rest, brand.style if count or count_named else ""


def _take_composition(text: str) -> tuple[str, str]:
    found: list[tuple[int, str]] = []

    def take_position(match: re.Match[str]) -> str:
        what = (match.group("what") or "subject").lower()
        what = "subject" if what in {"me", "face", "character"} else " ".join(what.split())
        side = match.group("side").lower().replace("-", " ")
        preposition = "on" if side in {"left", "right"} else "at"
        found.append((match.start(), f"{what} {preposition} the {side}"))
        return " " * len(match.group())

    def take_phrase(match: re.Match[str]) -> str:
        found.append((match.start(), _table_value(match, COMPOSITIONS)))
        return " " * len(match.group())

    rest = POSITION_RE.sub(take_position, text)
    rest = COMPOSITION_RE.sub(take_phrase, rest)
    phrases = [phrase for _, phrase in sorted(found)]
    return rest, ", ".join(dict.fromkeys(phrases))


def _take_engine_text(text: str) -> tuple[str, str, bool]:
    """The on-image words the engine's reading finds in what is left of a message."""
    rest, words = split_text(text)
    if not words:
        return text, "", False
    return rest, words[:MAX_TEXT].rstrip(), len(words) > MAX_TEXT


def _take_text_cue(text: str) -> tuple[str, str, bool]:
    """Unquoted on-image text: "it says GG", "headline: I WON", "with the text GG"."""
    match = TEXT_CUE_RE.search(text) or NAMED_TEXT_RE.search(text)
    if match is None:
        return text, "", False
    words = " ".join(next((group for group in match.groups() if group), "").split())
    rest = text[: match.start()] + " " + text[match.end() :]
    return rest, words[:MAX_TEXT].rstrip(), len(words) > MAX_TEXT


def _take_first(text: str, pattern: re.Pattern[str], names: Sequence[str]) -> tuple[str, str]:
    """The first table row the text names (all mentions are removed)."""
    rest, found = _take_all(text, pattern, names)
    return rest, found[0] if found else ""


def _take_all(text: str, pattern: re.Pattern[str], names: Sequence[str]) -> tuple[str, list[str]]:
    """Every table row the text names, in order of first mention, with the mentions removed."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        found.append(names[_row(match)])
        return " "

    rest = pattern.sub(take, text)
    return rest, list(dict.fromkeys(found))


def _take_all_words(text: str, pattern: re.Pattern[str]) -> tuple[str, list[str]]:
    """Every match of ``pattern``, as written (lower case), with the matches removed."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        found.append(match.group().lower())
        return " "

    return pattern.sub(take, text), found


def style_field(phrases: Sequence[str]) -> str:
    """The brief's style from style phrases: each as the engine's style key where it names one
    ("8-bit" → "pixel", "anime" → "comic", "cozy pastel" → "cozy, pastel"), else as said
    ("cinematic"), without repeats."""
    parts: list[str] = []
    for phrase in (part for item in phrases for part in _split_list(item)):
        parts.extend(style_keys(phrase) or (phrase,))
    return _clip(", ".join(dict.fromkeys(parts)))


def _row(match: re.Match[str]) -> int:
    """The table row an ``_alternation`` match came from (its only named group, ``g<i>``)."""
    return int((match.lastgroup or "g0")[1:])


def _table_value(match: re.Match[str], table: Sequence[tuple[str, str]]) -> str:
    return table[_row(match)][0]


def _leftover(text: str) -> tuple[str, bool]:
    """The words no table took, tidied; and whether they were introduced as a subject.

    A clause that lost all its words to the tables ("…clutch, neon purple and teal, …" leaves
    "clutch, and,") goes, and so do the connecting words left at the end of a clause."""
    text = FILLER_RE.sub(" ", text).replace("?", " ")
    text = SPACES_RE.sub(" ", text)
    text = SPACE_BEFORE_PUNCTUATION_RE.sub(r"\1", text)
    text = REPEATED_SEPARATOR_RE.sub(r"\1", text).strip(" ,;:-–—.!?")
    clauses = []
    for clause in CLAUSE_RE.split(text):
        kept = _strip_words(clause.split(), frozenset(), _TRAIL_WORDS)
        if _strip_words(kept, _LEAD_WORDS, frozenset()):
            clauses.append(" ".join(kept))
    text = ", ".join(clauses)
    words = _strip_words(text.split(), _LEAD_WORDS, _TRAIL_WORDS, keep_article=True)
    tidy = _fix_articles(" ".join(words).strip(" ,;:-–—.!?"))
    cue = bool(CUE_RE.match(text))
    return tidy, cue


def _strip_words(
    words: list[str], lead: frozenset[str], trail: frozenset[str], *, keep_article: bool = False
) -> list[str]:
    """Drop connecting words from both ends ("of a cat with" -> "a cat"); an article stays when
    ``keep_article`` and the next word is not another connector."""

    def bare(word: str) -> str:
        return word.lower().strip(",;:.!?")

    while words and bare(words[0]) in lead:
        if keep_article and bare(words[0]) in _ARTICLES and (len(words) < 2 or bare(words[1]) not in lead):
            break
        words = words[1:]
    while words and bare(words[-1]) in trail:
        words = words[:-1]
    return words


def _fix_articles(text: str) -> str:
    """ "a angry cat" after a word was taken out -> "an angry cat" (and the reverse)."""

    def fix(match: re.Match[str]) -> str:
        article = "an" if match.group(2)[0].lower() in "aeiou" else "a"
        if match.group(1)[0].isupper():
            article = article.capitalize()
        return f"{article} {match.group(2)}"

    return ARTICLE_RE.sub(fix, text)


def _has_content(text: str) -> bool:
    return any(word.lower() not in _STOP_WORDS for word in WORD_RE.findall(text))


# --- Targets and the brief ---------------------------------------------------------------------


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
    items = [*_split_list(current.avoid), *_split_list(decided.avoid)]
    if decided.text:
        items = [item for item in items if not NO_TEXT_RE.fullmatch(item)]
    merged = replace(merged, avoid=_clip(", ".join(dict.fromkeys(items))))
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
    return any(NO_TEXT_RE.fullmatch(item) for item in _split_list(brief.avoid))


def proposal(
    name: str, brief: Brief, brand: BrandContext, target: TargetOption | None
) -> str | tuple[str, ...]:
    """What the coach suggests for a field (taken when the creator says "yes" or "up to you")."""
    family = target.family if target else ""
    if name == "subject" and family in SUBJECT_IDEAS:
        return _decap(SUBJECT_IDEAS[family][0])
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
    phrases = [item.lower() for look in looks for item in _split_list(look)]
    return [*phrases, *(word for phrase in phrases for word in phrase.split())]


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
    question, suggestions = _ask(next_field(brief, target), brief, brand, target, targets, rng)
    if ready:
        parts.append(rng.choice(READY_LINES))
        parts.append(
            f"{rng.choice(TWEAK_LEADS)} {_decap(question)}" if question else rng.choice(ALL_SET_LINES)
        )
        suggestions = suggestions or _tweak_suggestions(brief)
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
    pick = offer if isinstance(offer, str) else _color_list(offer, brand)
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
        return replace(decided, subject=_as_subject(words)) if _has_content(words) else decided
    if QUESTION_RE.search(message):
        return decided
    if asking == "text" and not decided.text:
        return replace(decided, text=words[:MAX_TEXT].rstrip())
    if asking in {"subject", "style", "mood", "composition"} and not getattr(decided, asking):
        value = _as_subject(words) if asking == "subject" else _clip(words)
        return _with_field(decided, asking, value) if _has_content(words) else decided
    if not base.subject and not decided.subject and _has_content(words):
        return replace(decided, subject=_as_subject(words))
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
            intro += f" I'll keep it on-brand with {_and_list(kit)}."
    else:
        intro = f"Here's the brief so far: {_summary(brief, target) or 'nothing yet'}."
    question, suggestions = _ask(next_field(brief, target), brief, brand, target, targets, rng)
    ready = is_ready(brief, target)
    if ready:
        question = rng.choice(READY_LINES) + (
            f" {rng.choice(TWEAK_LEADS)} {_decap(question)}" if question else ""
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
        parts.append(f"{lead}{_decap(summary) if lead else summary}.")
    if "colors" in changed and brief.colors:
        parts.append(f"Colours: {_color_list(brief.colors, brand)}.")
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
        text = _with_article(target_name(target), force=True)
    elif brief.platform:
        text = f"Something for {_platform_label(brief.platform, ())}"
    else:
        text = ""
    if brief.subject:
        subject = _as_said_back(brief.subject)
        text = f"{text} of {_with_article(subject)}" if text else _with_article(subject)
    looks: list[str] = []
    if brief.style:
        looks.append(f"in {brief.style}" + ("" if ENDS_WITH_STYLE_RE.search(brief.style) else " style"))
    if brief.mood:
        looks.append(f"with {_with_article(brief.mood, force=True)} mood")
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
        fallback = f", so I went with {_with_article(target_name(target), force=True)}" if target else ""
        notes.append(f"I can't make {_platform_label(named, targets)} assets here yet{fallback}.")
    elif concept is not None and target is None:
        notes.append(f"I can't make {concept.noun} here.")
    elif concept is not None and target is not None and brief.spec_key != base.spec_key:
        home = named or base.platform
        real_home = named or home not in {"stream", "all"}
        if home and real_home and home != target.platform and any(t.platform == home for t in targets):
            notes.append(
                f"{_platform_label(home, targets)} has no {concept.noun} here, "
                f"so I went with {_with_article(target_name(target), force=True)}."
            )
        elif not home:
            others = sorted(
                {t.platform_label for t in targets if t.asset_type in concept.asset_types}
                - {target.platform_label}
            )
            if others:
                notes.append(
                    f"You didn't name a platform, so I went with {target.platform_label}, "
                    f"the most common one for {concept.noun}: say {_or_list(others)} to switch."
                )
    if target is not None and target.key != base.spec_key:
        rules = target.rules.split(". ")[0].rstrip(".")
        notes.append(f"Specs: {target.size}" + (f"; {rules}." if rules else "."))
    if reading.brand_colors_asked and not brand_colors(brand):
        notes.append("Your brand kit has no colours yet, so name some colours or hex codes.")
    if reading.text_clipped:
        notes.append(f"I shortened the text to {MAX_TEXT} characters: short text reads best.")
    return notes


def _ask(
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
            options = [_cap(brand.style), *(s for s in STYLE_SUGGESTIONS if s.lower() != brand.style.lower())]
            return question, tuple(options[:4])
        return (
            f"Which style should it have: {_or_list(['neon', 'pixel art', 'cartoon', 'anime', '3D'])}?",
            STYLE_SUGGESTIONS,
        )
    if name == "mood":
        looks = f"With {brief.style} style" if brief.style else "For this"
        mood = _with_article(str(offer), force=True)
        question = f"{looks}, {mood} mood would work well. What mood are you after?"
        options = [_cap(str(offer)), *(m for m in MOOD_SUGGESTIONS if m.lower() != offer)]
        return question, tuple(options[:4])
    if name == "colors":
        if brand_colors(brand):
            question = (
                f"Your brand colours are {_color_list(brand_colors(brand), brand)}. "
                "Shall I use those, or would you like other colours (names or hex codes)?"
            )
            return question, ("Use my brand colours", *COLOR_SUGGESTIONS[:2])
        look = brief.style or brief.mood
        for_look = f" for a {look} look" if look else ""
        question = (
            f"I'd suggest {_and_list(list(offer))}{for_look}. "
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
            names = [_short_label(t) for t in offered]
            question = f"Which {label} asset should it be: {_or_list([n.lower() for n in names[:6]])}?"
            return question, tuple(f"{label} {n.lower()}" for n in names[:4])
    by_key = {t.key: t for t in targets}
    picks = [(by_key[key], phrase) for key, phrase in QUICK_TARGETS if key in by_key][:4]
    if len(picks) < 2:
        picks = [(t, _cap(target_name(t))) for t in targets[:4]]
    if not picks:
        return "What would you like to make?", ()
    names = [_with_article(target_name(t), force=True) for t, _ in picks]
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


def _tweak_suggestions(brief: Brief) -> tuple[str, ...]:
    styles = style_keys(brief.style)
    style = next(
        (said for said in ("pixel art", "neon", "cartoon") if style_keys(said)[0] not in styles), "retro"
    )
    mood = next((m for m in ("cozy", "hype", "funny") if m not in brief.mood), "epic")
    return (f"Try {style} instead", f"Make it {mood}", "Start over")


# --- Wording helpers ---------------------------------------------------------------------------


def target_name(target: TargetOption) -> str:
    """ "Twitch emote", "YouTube channel banner", "starting soon scene" (stream scenes and
    covers for any platform go without the platform)."""
    label = _short_label(target)
    label = label[:1].lower() + label[1:] if label[1:2].islower() else label
    return label if target.platform in {"stream", "all"} else f"{target.platform_label} {label}"


def _short_label(target: TargetOption) -> str:
    """ "Emote (static)" -> "Emote", "Emote (animated)" -> "Animated emote"."""
    match = LABEL_QUALIFIER_RE.fullmatch(target.label)
    if match is None:
        return target.label
    if match.group("inner").lower() == "static":
        return match.group("outer")
    return f"{_cap(match.group('inner'))} {match.group('outer').lower()}"


def _platform_label(platform: str, targets: Sequence[TargetOption]) -> str:
    label = next((t.platform_label for t in targets if t.platform == platform), "")
    return label or PLATFORM_NAMES.get(platform, platform)


def _color_list(colors: Sequence[str], brand: BrandContext) -> str:
    """ "primary #7C3AED, accent #F59E0B and red #E53935": brand roles first, then colour names."""
    roles = {normalize_hex(v): role for role, v in brand.colors.items() if HEX_RE.fullmatch(v.strip())}
    names = {hex_value: name for name, hex_value in reversed(COLOR_NAMES.items())}
    return _and_list([f"{roles.get(c) or names.get(c, '')} {c}".strip() for c in colors])


def _with_article(phrase: str, *, force: bool = False) -> str:
    """ "cat" -> "a cat"; left alone: "my mascot", "cats", "Bitsy", "GG" (unless ``force``)."""
    first = phrase.split()[0] if phrase.split() else ""
    if not first:
        return phrase
    plural = first.lower().endswith("s") and not first.lower().endswith("ss") and len(phrase.split()) == 1
    if not force and (first.lower() in _DETERMINERS or first[0].isupper() or first[0].isdigit() or plural):
        return phrase
    return f"{'an' if first[0].lower() in 'aeiou' else 'a'} {phrase}"


def _decap(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or "I"."""
    first = text.split(" ", 1)[0]
    if not first[:1].isupper() or (len(first) > 1 and first.isupper()) or PRONOUN_I_RE.match(first):
        return text
    return text[:1].lower() + text[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _or_list(items: Sequence[str]) -> str:
    return _join(items, "or")


def _and_list(items: Sequence[str]) -> str:
    return _join(items, "and")


def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _clip(text: str) -> str:
    return " ".join(text.split())[:MAX_FIELD]


def _as_subject(words: str) -> str:
    """ "A cat with a crown" -> "a cat with a crown" (names and acronyms keep their capitals)."""
    return _clip(_decap(words))


def split_tokens(text: str) -> list[str]:
    """Word-sized pieces that join back to ``text`` exactly (leading space stays on the first)."""
    return TOKEN_RE.findall(text)


# --- The provider ------------------------------------------------------------------------------


class LocalCoach:
    """The offline coach: no keys, no network, the same events for the same request."""

    name = "local"
    model = "aurastream-coach-1"

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
