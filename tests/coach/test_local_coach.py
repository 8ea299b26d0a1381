"""The offline Prompt Coach, as a creator would notice it: what it understands, what it asks, and
how it streams. No database: the engine is plain Python."""

from __future__ import annotations

import re

import pytest

from coach.engine.brief import next_field
from coach.engine.local import LocalCoach, respond
from coach.engine.reader import read_message
from coach.engine.types import (
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
    Turn,
)
from coach.engine.wording import split_tokens
from tests.coach.leftovers import assert_clean

PLATFORM_LABELS = {"twitch": "Twitch", "youtube": "YouTube", "stream": "Stream scenes", "kick": "Kick"}


def target(key: str, label: str, family: str, size: str, rules: str = "PNG.") -> TargetOption:
    platform, asset_type = key.split(".")
    return TargetOption(platform, PLATFORM_LABELS[platform], asset_type, label, family, size, rules)


EMOTE_RULES = (
    "PNG; transparent background; at most 24 KB a file; must still read at 28 px. Twitch takes 1 MB now."
)
TARGETS = (
    target("twitch.emote", "Emote (static)", "emote", "112×112 px (also 56, 28)", EMOTE_RULES),
    target("twitch.sub_badge", "Subscriber badge", "badge", "72×72 px (also 36, 18)"),
    target(
        "youtube.thumbnail", "Thumbnail", "thumbnail", "1280×720 px", "Keep the bottom-right corner clear."
    ),
    target("youtube.channel_banner", "Channel banner", "banner", "2560×1440 px"),
    target("stream.starting_soon", "Starting soon scene", "scene", "1920×1080 px"),
    target("twitch.panel", "Panel", "panel", "320×100 px"),
)
BRAND = BrandContext(
    name="Main kit",
    channel_name="PixelPaws",
    colors={"primary": "#7c3aed", "accent": "#F59E0B"},
)
NO_BRAND = BrandContext()


class Chat:
    """A conversation with the coach, one message at a time, as the Django layer drives it."""

    def __init__(self, brand: BrandContext = BRAND, *, seed: int = 7) -> None:
        self.brand = brand
        self.seed = seed
        self.brief = Brief()
        self.history: tuple[Turn, ...] = ()

    def request(self, message: str) -> CoachRequest:
        return CoachRequest(
            history=self.history,
            message=message,
            brief=self.brief,
            brand=self.brand,
            targets=TARGETS,
            seed=self.seed,
        )

    def say(self, message: str) -> Reply:
        reply = respond(self.request(message))
        self.brief = reply.brief
        self.history = (*self.history, Turn("user", message), Turn("coach", reply.text))
        return reply


async def collect(request: CoachRequest, coach: LocalCoach | None = None) -> list[CoachEvent]:
    return [event async for event in (coach or LocalCoach()).stream(request)]


def asks_one_thing(text: str) -> bool:
    return text.count("?") == 1 and text.endswith("?")


# --- Conversations -------------------------------------------------------------------------------


def test_three_messages_reach_a_ready_brief() -> None:
    chat = Chat()

    first = chat.say("I want a twitch emote")
    assert (chat.brief.platform, chat.brief.asset_type) == ("twitch", "emote")
    assert not first.ready
    assert asks_one_thing(first.text)
    assert "show" in first.text.lower() or "subject" in first.text.lower()

    second = chat.say("a cat with a crown")
    assert chat.brief.subject == "a cat with a crown"
    assert not second.ready
    assert "style" in second.text.lower()

    third = chat.say("neon and hype please")
    assert third.ready
    assert third.brief == Brief(
        platform="twitch", asset_type="emote", subject="a cat with a crown", style="neon", mood="hype"
    )
    assert "ready" in third.text
    assert "generate" in third.text


def test_one_message_can_say_everything() -> None:
    reply = Chat().say("Make me a twitch emote of a cat with a crown, neon style")
    assert reply.ready
    assert reply.brief.subject == "a cat with a crown"
    assert reply.brief.style == "neon"
    assert "a twitch emote of a cat with a crown, in neon style." in reply.text.lower()


def test_thumbnail_asks_for_its_headline_before_it_is_ready() -> None:
    chat = Chat()
    chat.say("YT thumbnail of me holding a trophy")
    assert next_field(chat.brief, TARGETS[2]) == "text"
    styled = chat.say("hype")
    assert not styled.ready
    assert "headline" in styled.text
    texted = chat.say("“I WON”")
    assert texted.ready
    assert texted.brief.text == "I WON"


def test_no_text_also_answers_the_headline_question() -> None:
    chat = Chat()
    chat.say("youtube thumbnail of a boss battle, epic")
    reply = chat.say("no text")
    assert reply.ready
    assert reply.brief.avoid == "text"
    assert "headline" not in reply.text


def test_questions_follow_the_family_order_one_at_a_time() -> None:
    chat = Chat(NO_BRAND)
    asked = []
    for message in ("starting soon screen", "a desk setup with plants", "sounds good", "lo-fi", "cozy"):
        reply = chat.say(message)
        asked.append(next_field(reply.brief, TARGETS[4]))
        assert asks_one_thing(reply.text), reply.text
    assert asked == ["subject", "text", "style", "mood", "colors"]
    assert chat.brief.text == "Starting soon"  # "sounds good" took the scene's default title


def test_emote_asks_style_before_the_optional_text() -> None:
    chat = Chat()
    chat.say("twitch emote")
    reply = chat.say("a laughing frog")
    assert next_field(reply.brief, TARGETS[0]) == "style"


def test_yes_takes_the_coachs_proposal() -> None:
    chat = Chat()
    chat.say("twitch emote of a trophy, pixel art, funny")
    colours = chat.say("“GG”")
    assert "primary #7C3AED" in colours.text
    assert "accent #F59E0B" in colours.text
    assert "Use my brand colours" in colours.suggestions
    chat.say("yes")
    assert chat.brief.colors == ("#7C3AED", "#F59E0B")
    layout = chat.say("sounds good")
    assert "28 px" in layout.brief.composition


def test_following_the_first_quick_reply_reaches_ready() -> None:
    chat = Chat()
    reply = chat.say("hi")
    for _ in range(5):
        if reply.ready:
            break
        assert 2 <= len(reply.suggestions) <= 4
        reply = chat.say(reply.suggestions[0])
    assert reply.ready
    assert chat.brief.spec_key == "twitch.emote"


# --- One reading with the engine: clean subjects, colours, styles, text and layouts ------------


def test_the_issue_example_reads_into_clean_fields() -> None:
    reply = Chat(NO_BRAND).say(
        "YouTube thumbnail of me winning a Valorant clutch, neon purple and teal, text CLUTCH KING"
    )

    assert reply.brief == Brief(
        platform="youtube",
        asset_type="thumbnail",
        subject="me winning a Valorant clutch",
        style="neon",
        colors=("#8E24AA", "#008080"),
        text="CLUTCH KING",
    )
    assert_clean(reply.brief)
    assert reply.ready
    assert "of you winning a Valorant clutch, in neon style." in reply.text
    assert "Colours: purple #8E24AA and teal #008080." in reply.text
    assert "On-image text: “CLUTCH KING”." in reply.text
    assert ", and," not in reply.text


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "twitch emote pack of a purple cat with a crown, pixel art",
            Brief(
                platform="twitch",
                asset_type="emote",
                subject="a cat with a crown",
                style="pixel",
                colors=("#8E24AA",),
            ),
        ),
        (
            "youtube thumbnail of my top 5 settings for Valorant, retro, text TOP 5 SETTINGS",
            Brief(
                platform="youtube",
                asset_type="thumbnail",
                subject="my top 5 settings for Valorant",
                style="retro",
                text="TOP 5 SETTINGS",
                layout="top_list",
            ),
        ),
        (
            "cozy pastel bunny emote",
            Brief(platform="twitch", asset_type="emote", subject="bunny", style="pastel", mood="cozy"),
        ),
        (
            "a youtube thumbnail reacting to my old clips, headline: I WAS SO BAD",
            Brief(
                platform="youtube",
                asset_type="thumbnail",
                subject="reacting to my old clips",
                text="I WAS SO BAD",
                layout="reaction",
            ),
        ),
        (
            "twitch emote of a simple futuristic robot, dark purple",
            Brief(
                platform="twitch",
                asset_type="emote",
                subject="a robot",
                style="minimal, neon",
                colors=("#5C176E",),  # the engine's dark purple
            ),
        ),
        (
            "twitch emote of a cat with the text GG",
            Brief(platform="twitch", asset_type="emote", subject="a cat", text="GG"),
        ),
        (
            "twitch panel, icon on the right, a calendar, text Schedule",
            Brief(
                platform="twitch",
                asset_type="panel",
                subject="a calendar",
                text="Schedule",
                layout="icon_right",
                composition="icon on the right",
            ),
        ),
    ],
    ids=[
        "emote pack",
        "top 5",
        "cozy pastel bunny",
        "reaction",
        "engine-only style words",
        "text after its cue",
        "panel",
    ],
)
def test_messages_read_into_the_engines_fields(message: str, expected: Brief) -> None:
    brief = read_message(message, NO_BRAND, TARGETS)
    assert brief == expected
    assert_clean(brief)


def test_a_shouted_message_is_not_taken_for_its_own_text() -> None:
    brief = read_message("TWITCH EMOTE OF MY CAT", NO_BRAND, TARGETS)
    assert (brief.spec_key, brief.text) == ("twitch.emote", "")
    assert brief.subject.lower() == "my cat"
    assert read_message("GG EZ emote of a frog", NO_BRAND, TARGETS).text == "GG EZ"


def test_a_layout_asked_before_the_asset_is_known_arrives_with_it_and_leaves_with_it() -> None:
    chat = Chat(NO_BRAND)
    chat.say("me vs my brother in minecraft")
    assert chat.brief.layout == ""  # no asset yet: no layouts to choose from
    reply = chat.say("a youtube thumbnail")
    assert reply.brief.layout == "versus"
    assert "Layout: versus split." in reply.text
    chat.say("actually make it a twitch emote")
    assert chat.brief.spec_key == "twitch.emote"
    assert chat.brief.layout == ""  # emotes have no layouts


def test_an_old_stored_brief_without_a_layout_still_loads() -> None:
    stored = {"platform": "youtube", "asset_type": "thumbnail", "subject": "me", "colors": ["#008080"]}
    assert Brief.from_json(stored) == Brief(
        platform="youtube", asset_type="thumbnail", subject="me", colors=("#008080",)
    )
    assert Brief.from_json({**stored, "layout": " Versus "}).layout == "versus"
    assert Brief.from_json({**stored, "layout": "split screen"}).layout == ""
    assert Brief.from_json({**stored, "layout": 5}).layout == ""


# --- What a message is read as -------------------------------------------------------------------


def test_hex_codes_and_colour_names_become_upper_case_hex() -> None:
    brief = read_message("use #abc, #a1b2c3 and teal", NO_BRAND, TARGETS)
    assert brief.colors == ("#AABBCC", "#A1B2C3", "#008080")


def test_colour_words_are_colours_unless_the_art_names_a_thing_by_them() -> None:
    # The engine paints the cat red for "a red crown": the brief says so, not the subject.
    crowned = read_message("a cat with a red crown", NO_BRAND, TARGETS)
    assert (crowned.subject, crowned.colors) == ("a cat with a crown", ("#E53935",))
    # "black cat" and "red heart" are drawings of their own: the colour word stays with them.
    for message in ("a black cat", "a red heart"):
        brief = read_message(message, NO_BRAND, TARGETS)
        assert (brief.subject, brief.colors) == (message, ()), message


def test_brand_colours_come_from_the_kit() -> None:
    brief = read_message("in my brand colours plus gold", BRAND, TARGETS)
    assert brief.colors == ("#7C3AED", "#F59E0B", "#FFD700")


def test_brand_colours_without_a_kit_palette_say_so() -> None:
    reply = Chat(NO_BRAND).say("a youtube banner in my brand colors")
    assert reply.brief.colors == ()
    assert "no colours yet" in reply.text


def test_quoted_text_in_any_quotes_goes_on_the_image() -> None:
    assert read_message('it should say "GG"', NO_BRAND, TARGETS).text == "GG"
    assert read_message("with “HYPE” on it", NO_BRAND, TARGETS).text == "HYPE"
    assert read_message("'LET'S GO' in neon", NO_BRAND, TARGETS).text == "LET'S GO"
    long = read_message(f'"{"A" * 100}"', NO_BRAND, TARGETS)
    assert len(long.text) == MAX_TEXT


def test_a_quoted_name_is_part_of_the_subject() -> None:
    brief = read_message("my mascot, a fox called “Bitsy”", NO_BRAND, TARGETS)
    assert brief.text == ""
    assert brief.subject == "my mascot, a fox called Bitsy"


def test_no_avoid_and_without_fill_avoid_and_add_up() -> None:
    assert read_message("no skulls and avoid blood", NO_BRAND, TARGETS).avoid == "skulls, blood"
    chat = Chat()
    chat.say("twitch emote of a cat, without a background")
    chat.say("and no text please")
    assert chat.brief.avoid == "background, text"


def test_styles_moods_and_composition() -> None:
    message = "8-bit retro synthwave, cozy and spooky, close-up, headline on the left"
    brief = read_message(message, NO_BRAND, TARGETS)
    assert brief.style == "pixel, retro"  # the engine's styles: synthwave is retro
    assert brief.mood == "cozy, spooky"
    assert brief.composition == "close-up, headline on the left"  # in the order written


@pytest.mark.parametrize(
    ("message", "key"),
    [
        ("a twitch emote", "twitch.emote"),
        ("sub badges", "twitch.sub_badge"),
        ("YT thumbnail", "youtube.thumbnail"),
        ("youtube banner", "youtube.channel_banner"),
        ("starting soon screen", "stream.starting_soon"),
        ("a panel", "twitch.panel"),
        ("an emote", "twitch.emote"),
    ],
)
def test_platform_and_asset_words(message: str, key: str) -> None:
    assert read_message(message, NO_BRAND, TARGETS).spec_key == key


def test_a_bare_emote_says_which_platform_it_chose() -> None:
    targets = (*TARGETS, target("kick.emote", "Emote", "emote", "500×500 px"))
    reply = respond(CoachRequest(history=(), message="emote", brief=Brief(), brand=BRAND, targets=targets))
    assert reply.brief.spec_key == "twitch.emote"
    assert "didn't name a platform" in reply.text
    assert "Kick" in reply.text


def test_only_offered_targets_are_chosen() -> None:
    keys = {t.key for t in TARGETS}
    asks = ("discord emoji", "kick banner", "tiktok pfp", "instagram story", "twitch thumbnail", "overlay")
    for message in asks:
        brief = read_message(message, NO_BRAND, TARGETS)
        assert not brief.spec_key or brief.spec_key in keys, message
    reply = Chat().say("a tiktok profile picture")
    assert reply.brief.spec_key == ""
    assert "TikTok" in reply.text
    assert "can't" in reply.text


def test_a_platform_alone_keeps_the_asset_when_it_can() -> None:
    twitch_panel = Brief(platform="twitch", asset_type="panel", subject="a heart")
    assert read_message("make it for youtube", NO_BRAND, TARGETS, twitch_panel).spec_key == ""
    request = CoachRequest(
        history=(), message="make it for youtube", brief=twitch_panel, brand=BRAND, targets=TARGETS
    )
    reply = respond(request)
    assert (reply.brief.platform, reply.brief.asset_type) == ("youtube", "")
    assert "Which YouTube asset" in reply.text
    assert set(reply.suggestions) == {"YouTube thumbnail", "YouTube channel banner"}


def test_corrections_replace_earlier_answers() -> None:
    chat = Chat()
    chat.say("twitch emote of a cat, in red")
    assert chat.brief.colors == ("#E53935",)
    chat.say("make it blue instead")
    assert chat.brief.colors == ("#1E88E5",)
    chat.say("actually make it a YouTube thumbnail")
    assert chat.brief.spec_key == "youtube.thumbnail"
    chat.say("actually a dog instead")
    assert chat.brief.subject == "a dog"
    assert chat.brief.platform == "youtube"


def test_start_over_clears_the_brief() -> None:
    chat = Chat()
    chat.say("twitch emote of a cat, neon")
    reply = chat.say("start over")
    assert reply.brief == Brief()
    assert "cleared" in reply.text
    assert asks_one_thing(reply.text)
    again = chat.say("reset, I want sub badges")
    assert again.brief == Brief(platform="twitch", asset_type="sub_badge")


def test_greeting_welcomes_by_channel_name_and_offers_targets() -> None:
    reply = Chat().say("hi")
    assert reply.text.startswith(("Hi, PixelPaws!", "Hey, PixelPaws!", "Welcome, PixelPaws!"))
    assert reply.brief == Brief()
    assert asks_one_thing(reply.text)
    assert reply.suggestions == ("Twitch emote", "YouTube thumbnail", "Sub badges", "Starting soon screen")
    assert not Chat(NO_BRAND).say("help").text.startswith(("Hi,", "Hey,", "Welcome,"))


def test_a_question_gets_a_concrete_proposal() -> None:
    chat = Chat()
    chat.say("twitch emote of a trophy")
    reply = chat.say("what style would work?")
    assert reply.brief == chat.brief
    assert "I'd go with comic" in reply.text
    assert chat.say("yes").brief.style == "comic"


def test_shouted_words_answer_the_text_question() -> None:
    chat = Chat()
    chat.say("youtube thumbnail of a boss battle")
    assert chat.say("HYPE").brief.text == "HYPE"


def test_switching_asset_drops_the_coachs_old_defaults() -> None:
    chat = Chat()
    chat.say("starting soon screen of a rainy window, chill")
    chat.say("sounds good")
    assert chat.brief.text == "Starting soon"
    chat.say("what about a youtube banner")
    assert chat.brief.text == ""


# --- Streaming -----------------------------------------------------------------------------------


async def test_events_are_brief_then_tokens_then_one_reply() -> None:
    events = await collect(Chat().request("twitch emote of a cat"))
    assert isinstance(events[0], BriefUpdate)
    assert isinstance(events[-1], Reply)
    tokens = events[1:-1]
    assert tokens
    assert all(isinstance(t, Token) for t in tokens)
    reply = events[-1]
    assert "".join(t.text for t in tokens if isinstance(t, Token)) == reply.text
    assert events[0].brief == reply.brief


async def test_no_brief_update_when_nothing_changed() -> None:
    events = await collect(Chat().request("hello"))
    assert not any(isinstance(e, BriefUpdate) for e in events)
    assert sum(isinstance(e, Reply) for e in events) == 1


async def test_token_delay_sleeps_between_tokens_only(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    monkeypatch.setattr("coach.engine.local.asyncio.sleep", fake_sleep)
    events = await collect(Chat().request("hi"), LocalCoach(token_delay_s=0.01))
    tokens = [e for e in events if isinstance(e, Token)]
    assert sleeps == [0.01] * (len(tokens) - 1)


def test_split_tokens_joins_back_exactly() -> None:
    text = "  Leading space,  double  spaces and “quotes”.\nNew line "
    tokens = split_tokens(text)
    assert "".join(tokens) == text
    assert tokens[0] == "  Leading "
    assert all(re.fullmatch(r"\s*\S+\s*", t) for t in tokens)


async def test_same_request_same_events_and_seed_changes_only_phrasing() -> None:
    chat = Chat()
    chat.say("twitch emote")
    request = chat.request("a cat with a crown, neon")
    assert await collect(request) == await collect(request)

    briefs, texts = set(), set()
    for seed in range(8):
        other = Chat(seed=seed)
        other.say("twitch emote")
        reply = respond(other.request("a cat with a crown, neon"))
        briefs.add(reply.brief)
        texts.add(reply.text)
    assert len(briefs) == 1
    assert len(texts) > 1


async def test_an_empty_message_is_a_coach_error() -> None:
    with pytest.raises(CoachError, match="Type a message"):
        await collect(Chat().request("   \n "))


@pytest.mark.parametrize(
    "message",
    [
        "?",
        "!!!",
        "no",
        "a" * 5000,
        "#zzz",
        "“unclosed",
        "'",
        "no no no",
        "emote emote",
        "🙂",
        "rule of thirds",
    ],
)
def test_odd_messages_still_get_a_reply(message: str) -> None:
    chat = Chat()
    chat.say("twitch emote")
    reply = chat.say(message)
    assert reply.text
    assert len(reply.brief.subject) <= 300
