"""The local coach's compiled patterns: the word tables as one alternation each, and the
phrases a message is read for (quoted text, "no X", "it says …", "yes", "start over" …)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generation.engine.reading import COLOR_NAMES, COLOR_SHADES, STYLE_WORDS

from .tables import ASSET_CONCEPTS, COMPOSITIONS, MOODS, PLATFORM_WORDS, STYLES

POSITION_PATTERN = (
    r"(?:(?P<what>headline|text|title|logo|subject|character|face|mascot|me|name|channel\s+name|icon)\s+)?"
    r"(?:on|to|at|in)\s+the\s+(?P<side>(?:top|bottom)[\s-](?:left|right)|left|right|top|bottom)"
    r"(?:\s+(?:side|half|third|corner))?(?!\s+of\b)"
)
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
