"""The Gemini Prompt Coach against a fake of Google's API on 127.0.0.1 (tests/fakes/gemini_chat.py).

The provider runs unchanged, SDK and its async HTTP client included; only `base_url` points at
the fake. The first section is the contract every coach provider meets (the local coach too);
the rest is what Google receives from the Gemini coach and what the session gets back.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from coach.engine.gemini import (
    BUSY,
    INTERRUPTED,
    MAX_SOURCES,
    NOT_CONFIGURED,
    REFUSED,
    TIMED_OUT,
    GeminiCoach,
)
from coach.engine.types import (
    BrandContext,
    Brief,
    BriefUpdate,
    CoachError,
    CoachEvent,
    CoachProvider,
    CoachRequest,
    Reply,
    TargetOption,
    Token,
    Turn,
)
from tests.fakes import gemini_chat as chat
from tests.fakes.gemini_chat import CHAT_MODEL, FakeGeminiChat

BRAND = BrandContext(
    name="Night Owl kit",
    channel_name="NightOwlTV",
    colors={"primary": "#1E90FF", "accent": "#F7C948", "background": "#101820"},
    headline_font="Bebas Neue",
    body_font="Inter",
    style="flat neon, chunky outlines",
    has_logo=True,
)
EMOTE = TargetOption(
    platform="twitch",
    platform_label="Twitch",
    asset_type="emote",
    label="Emote (static)",
    family="emote",
    size="112×112 px (also 56 and 28)",
    rules="Transparent PNG under 1 MB that still reads at 28 px.",
)
THUMBNAIL = TargetOption(
    platform="youtube",
    platform_label="YouTube",
    asset_type="thumbnail",
    label="Video thumbnail",
    family="thumbnail",
    size="1280×720 px",
    rules="JPEG or PNG under 2 MB; keep the bottom-right corner clear for the timestamp.",
)
TARGETS = (EMOTE, THUMBNAIL)
TARGET_KEYS = {target.key for target in TARGETS}


def coach_request(**changes: Any) -> CoachRequest:
    values: dict[str, Any] = {
        "history": (),
        "message": "I want an owl DJ emote",
        "brief": Brief(),
        "brand": BRAND,
        "targets": TARGETS,
        **changes,
    }
    return CoachRequest(**values)


async def collect(provider: CoachProvider, request: CoachRequest) -> list[CoachEvent]:
    return [event async for event in provider.stream(request)]


async def collect_until_error(
    provider: CoachProvider, request: CoachRequest
) -> tuple[list[CoachEvent], CoachError]:
    """The events sent before the CoachError, and the error."""
    events: list[CoachEvent] = []
    try:
        async for event in provider.stream(request):
            events.append(event)
    except CoachError as error:
        return events, error
    pytest.fail(f"no CoachError; the events were {events!r}")


def tokens(events: list[CoachEvent]) -> list[str]:
    return [event.text for event in events if isinstance(event, Token)]


def final_reply(events: list[CoachEvent]) -> Reply:
    reply = events[-1]
    assert isinstance(reply, Reply)
    return reply


@pytest.fixture
def fake() -> Iterator[FakeGeminiChat]:
    with FakeGeminiChat.running() as server:
        yield server


def make_coach(fake: FakeGeminiChat, **options: Any) -> GeminiCoach:
    settings: dict[str, Any] = {
        "api_key": fake.api_key,
        "model": CHAT_MODEL,
        "base_url": fake.base_url,
        "timeout_s": 10,
        "max_retries": 2,
        # Real backoff shape, test-sized waits.
        "backoff_s": 0.001,
        **options,
    }
    return GeminiCoach(**settings)


@pytest.fixture
def coach(fake: FakeGeminiChat) -> GeminiCoach:
    return make_coach(fake)


# --- The contract every coach provider meets ------------------------------------------------


def _local_coach() -> CoachProvider:
    try:
        module = importlib.import_module("coach.engine.local")
    except ImportError:
        pytest.skip("coach.engine.local is not written yet")
    options: dict[str, Any] = {}
    if "token_delay_s" in inspect.signature(module.LocalCoach).parameters:
        options["token_delay_s"] = 0  # no typing pace in tests
    provider: CoachProvider = module.LocalCoach(**options)
    return provider


@pytest.fixture(params=["gemini", "local"])
def any_provider(request: pytest.FixtureRequest) -> Iterator[CoachProvider]:
    if request.param == "local":
        yield _local_coach()
        return
    with FakeGeminiChat.running() as server:
        yield make_coach(server)


CONTRACT_REQUESTS = {
    "first message": coach_request(),
    "picks a target": coach_request(
        history=(
            Turn("user", "I want an owl DJ"),
            Turn("coach", "Fun! Is it a Twitch emote or a YouTube thumbnail?"),
        ),
        message="A Twitch emote please",
        brief=Brief(subject="an owl DJ"),
    ),
    "brief under way": coach_request(
        history=(Turn("user", "owl DJ emote for twitch"), Turn("coach", "Which mood?")),
        message="hype, with LIVE on it",
        brief=Brief(platform="twitch", asset_type="emote", subject="an owl DJ"),
        seed=42,
    ),
}


@pytest.mark.parametrize("request_", CONTRACT_REQUESTS.values(), ids=CONTRACT_REQUESTS.keys())
async def test_contract_events_end_in_one_reply_whose_text_the_tokens_spell(
    any_provider: CoachProvider, request_: CoachRequest
) -> None:
    events = await collect(any_provider, request_)

    assert events, "a reply streams at least its Reply"
    *before, reply = events
    assert isinstance(reply, Reply), "the Reply comes last"
    assert all(isinstance(event, Token | BriefUpdate) for event in before), "one Reply only"
    assert "".join(tokens(events)) == reply.text
    assert reply.text.strip()
    assert all(event.text for event in before if isinstance(event, Token)), "no empty tokens"


@pytest.mark.parametrize("request_", CONTRACT_REQUESTS.values(), ids=CONTRACT_REQUESTS.keys())
async def test_contract_reply_brief_names_a_target_or_none(
    any_provider: CoachProvider, request_: CoachRequest
) -> None:
    events = await collect(any_provider, request_)

    reply = final_reply(events)
    assert isinstance(reply.brief, Brief)
    assert reply.brief.spec_key in {"", *TARGET_KEYS}
    assert isinstance(reply.ready, bool)
    assert all(isinstance(s, str) and s for s in reply.suggestions)
    assert all(isinstance(s, str) for s in reply.sources)
    for update in (event for event in events if isinstance(event, BriefUpdate)):
        assert isinstance(update.brief, Brief)
        assert update.brief.spec_key in {"", *TARGET_KEYS}


def test_contract_provider_names_itself(any_provider: CoachProvider) -> None:
    assert any_provider.name in ("gemini", "local")
    assert isinstance(any_provider.model, str)
    assert any_provider.model


# --- What Google receives -------------------------------------------------------------------


@pytest.mark.parametrize("model", [CHAT_MODEL, "gemini-3-flash-preview"])
async def test_both_calls_carry_the_model_from_the_constructor_and_the_key(
    fake: FakeGeminiChat, model: str
) -> None:
    fake.models.add(model)
    provider = make_coach(fake, model=model)

    events = await collect(provider, coach_request())

    assert isinstance(events[-1], Reply)
    streamed, extraction = fake.calls
    assert streamed.path == f"/v1beta/models/{model}:streamGenerateContent"
    assert streamed.query == {"alt": ["sse"]}
    assert extraction.path == f"/v1beta/models/{model}:generateContent"
    assert {call.api_key for call in fake.calls} == {fake.api_key}
    assert provider.model == model


async def test_system_instruction_carries_brand_targets_brief_and_rules(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    brief = Brief(subject="an owl DJ", mood="hype")

    await collect(coach, coach_request(brief=brief))

    instruction = fake.stream_calls[0].system_instruction
    for expected in ("NightOwlTV", "primary #1E90FF", "accent #F7C948", "Bebas Neue", "Inter", "flat neon"):
        assert expected in instruction
    for target in TARGETS:
        assert target.key in instruction
        assert target.rules in instruction
        assert target.size in instruction
    assert '"subject": "an owl DJ"' in instruction
    assert '"mood": "hype"' in instruction
    lowered = instruction.lower()
    assert "one missing thing at a time" in lowered
    assert "brand's fonts" in lowered
    assert "never suggest that the image model draws" in lowered
    assert "ready to generate" in lowered


async def test_history_maps_to_user_and_model_turns_then_the_new_message(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    history = (
        Turn("user", "I want an owl DJ"),
        Turn("coach", "Fun! For which platform?"),
        Turn("user", "Twitch"),
        Turn("coach", "Emote or badge?"),
    )

    await collect(coach, coach_request(history=history, message="An emote"))

    call = fake.stream_calls[0]
    assert call.roles == ["user", "model", "user", "model", "user"]
    assert call.turn_texts == [turn.content for turn in history] + ["An emote"]
    assert call.tools == []


async def test_grounding_adds_google_search_and_returns_its_sources(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    pages = [f"https://example.com/page-{i}" for i in range(7)]
    fake.script_stream(chat.stream(["Trending ", "emotes use ", "big eyes."], sources=[pages[0], *pages]))

    events = await collect(coach, coach_request(grounding=True))

    assert fake.stream_calls[0].tools == [{"googleSearch": {}}]
    # The extraction reads the conversation only: no search there.
    assert fake.json_calls[0].tools == []
    reply = final_reply(events)
    assert reply.sources == tuple(pages[:MAX_SOURCES])
    assert reply.text == "Trending emotes use big eyes."


async def test_no_grounding_no_tool_and_no_sources(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    fake.script_stream(chat.stream(["Sure."], sources=["https://example.com/a"]))

    events = await collect(coach, coach_request(grounding=False))

    assert fake.stream_calls[0].tools == []
    # Sources are whatever the answer carried; without the tool Google sends none.
    assert final_reply(events).sources == ("https://example.com/a",)


# --- The reply ------------------------------------------------------------------------------


async def test_tokens_arrive_in_order_empty_chunks_skipped(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    chunks = ["Love ", "", "the owl! ", "Which ", "", "platform?"]
    fake.script_stream(chat.stream(chunks))

    events = await collect(coach, coach_request())

    assert tokens(events) == [chunk for chunk in chunks if chunk]
    assert final_reply(events).text == "Love the owl! Which platform?"
    assert all(isinstance(event, Token) for event in events[:4])
    assert not any(isinstance(event, Token) for event in events[4:])


async def test_brief_is_extracted_with_a_schema_and_merged(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    before = Brief(subject="an owl DJ", colors=("#1E90FF",))
    fake.script_stream(chat.stream(["A hype Twitch emote it is! ", "Ready to generate."]))
    fake.script_json(
        chat.brief_json(
            {
                "platform": "twitch",
                "asset_type": "emote",
                "mood": "hype",
                "subject": "",
                "colors": ["#f7c948", "not a colour"],
                "ready": True,
                "suggestions": ["Generate it", "Add LIVE text", "x" * 200],
            }
        )
    )
    history = (Turn("user", "owl DJ"), Turn("coach", "Nice! Where will it go?"))

    events = await collect(coach, coach_request(history=history, message="twitch emote, hype", brief=before))

    expected = Brief(
        platform="twitch", asset_type="emote", subject="an owl DJ", mood="hype", colors=("#F7C948",)
    )
    assert [type(event) for event in events[-2:]] == [BriefUpdate, Reply]
    update = events[-2]
    assert isinstance(update, BriefUpdate)
    assert update.brief == expected
    reply = final_reply(events)
    assert reply.brief == expected
    assert reply.ready is True
    assert reply.suggestions == ("Generate it", "Add LIVE text")

    [extraction] = fake.json_calls
    assert extraction.response_mime_type == "application/json"
    schema = extraction.response_schema
    assert schema is not None
    assert schema["type"] == "OBJECT"
    assert set(schema["properties"]) == {
        "platform",
        "asset_type",
        "subject",
        "style",
        "mood",
        "colors",
        "text",
        "layout",
        "composition",
        "avoid",
        "ready",
        "suggestions",
    }
    assert schema["properties"]["colors"]["type"] == "ARRAY"
    assert schema["properties"]["ready"]["type"] == "BOOLEAN"
    # The conversation, the reply just streamed, then the ask.
    assert extraction.roles == ["user", "model", "user", "model", "user"]
    assert extraction.turn_texts[3] == reply.text
    assert "twitch.emote" in extraction.system_instruction
    assert "only a pair from the targets list" in extraction.system_instruction
    assert '"subject": "an owl DJ"' in extraction.system_instruction


async def test_a_layout_is_kept_only_when_the_targets_family_has_it(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    thumbnail = Brief(platform="youtube", asset_type="thumbnail", subject="me vs my brother")
    fake.script_json(
        chat.brief_json({"layout": "versus", "ready": False, "suggestions": []}),
        chat.brief_json({"layout": "split screen", "ready": False, "suggestions": []}),
        chat.brief_json({"layout": "top_list", "ready": False, "suggestions": []}),
    )

    versus = final_reply(await collect(coach, coach_request(brief=thumbnail)))
    made_up = final_reply(
        await collect(coach, coach_request(brief=Brief(**{**thumbnail.to_json(), "layout": "versus"})))
    )
    on_an_emote = final_reply(
        await collect(coach, coach_request(brief=Brief(platform="twitch", asset_type="emote")))
    )

    assert versus.brief.layout == "versus"
    assert made_up.brief.layout == "versus"  # not a layout at all: the one agreed stays
    assert on_an_emote.brief.layout == ""  # emotes have no layouts
    extraction = fake.json_calls[0]
    assert extraction.response_schema is not None
    assert "layout" in extraction.response_schema["properties"]
    # The model is told which keys each of the targets' families allows.
    instruction = extraction.system_instruction
    assert "- thumbnail: big_subject (big subject and headline), reaction" in instruction
    assert "versus (versus split)" in instruction
    assert "youtube.thumbnail: YouTube Video thumbnail" in instruction
    assert "Family: thumbnail." in instruction
    assert "- emote:" not in instruction
    assert "versus (versus split)" in fake.stream_calls[0].system_instruction


async def test_ready_needs_the_model_to_say_so_and_a_target_and_a_subject(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    fake.script_json(
        chat.brief_json({"platform": "twitch", "asset_type": "emote", "ready": True, "suggestions": []}),
        chat.brief_json({"subject": "an owl", "ready": False, "suggestions": []}),
    )

    no_subject = final_reply(await collect(coach, coach_request()))
    not_said = final_reply(
        await collect(coach, coach_request(brief=Brief(platform="twitch", asset_type="emote")))
    )

    assert no_subject.brief.spec_key == "twitch.emote"
    assert no_subject.ready is False
    assert not_said.brief.spec_key == "twitch.emote"
    assert not_said.brief.subject == "an owl"
    assert not_said.ready is False


async def test_a_target_not_on_the_list_is_dropped(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    before = Brief(platform="twitch", asset_type="emote", subject="an owl DJ")
    fake.script_json(
        chat.brief_json({"platform": "tiktok", "asset_type": "emote", "mood": "cozy", "ready": False}),
        chat.brief_json({"platform": "youtube", "asset_type": "emote", "ready": False}),
    )

    made_up_platform = final_reply(await collect(coach, coach_request(brief=before)))
    mixed_pair = final_reply(await collect(coach, coach_request()))

    assert made_up_platform.brief == Brief(
        platform="twitch", asset_type="emote", subject="an owl DJ", mood="cozy"
    )
    assert mixed_pair.brief.spec_key == ""
    assert mixed_pair.brief.platform == ""


async def test_target_spelling_follows_the_list(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    fake.script_json(chat.brief_json({"platform": "YouTube", "asset_type": "Thumbnail", "subject": "me"}))

    reply = final_reply(await collect(coach, coach_request()))

    assert reply.brief.spec_key == "youtube.thumbnail"


async def test_no_brief_update_when_nothing_changed(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    before = Brief(subject="an owl DJ")
    fake.script_json(chat.brief_json({"subject": "an owl DJ", "ready": False, "suggestions": ["Twitch"]}))

    events = await collect(coach, coach_request(brief=before))

    assert not any(isinstance(event, BriefUpdate) for event in events)
    assert final_reply(events).brief == before
    assert final_reply(events).suggestions == ("Twitch",)


@pytest.mark.parametrize(
    "answer",
    [
        chat.brief_json("Sure! Here is the brief: {platform: twitch"),
        chat.brief_json('["not", "an", "object"]'),
        chat.error(500),
        chat.error(429),
        chat.blocked(),
    ],
    ids=["not json", "not an object", "500", "429", "blocked"],
)
async def test_a_failed_extraction_still_finishes_the_reply_with_the_previous_brief(
    fake: FakeGeminiChat, coach: GeminiCoach, answer: chat.Answer
) -> None:
    before = Brief(platform="twitch", asset_type="emote", subject="an owl DJ")
    fake.script_stream(chat.stream(["Great, ", "what mood?"]))
    fake.script_json(answer)

    events = await collect(coach, coach_request(brief=before))

    assert tokens(events) == ["Great, ", "what mood?"]
    assert [type(event) for event in events] == [Token, Token, Reply]
    reply = final_reply(events)
    assert reply.text == "Great, what mood?"
    assert reply.brief == before
    assert reply.ready is False
    assert len(fake.json_calls) == 1, "the extraction is not sent again"


async def test_the_consumer_may_stop_early(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    fake.script_stream(chat.stream(["one ", "two ", "three"]))

    stream = coach.stream(coach_request())
    assert isinstance(stream, AsyncIterator)
    first = await anext(stream)
    await stream.aclose()  # type: ignore[attr-defined]  # an async generator, typed as its iterator

    assert first == Token("one ")
    assert fake.json_calls == []


# --- Failures -------------------------------------------------------------------------------


async def test_429_then_503_then_success_is_sent_again(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    fake.script_stream(chat.error(429), chat.error(503), chat.stream(["Back ", "again!"]))

    events = await collect(coach, coach_request())

    assert len(fake.stream_calls) == 3
    assert tokens(events) == ["Back ", "again!"]
    assert final_reply(events).text == "Back again!"


async def test_an_error_event_before_any_token_is_sent_again(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    fake.script_stream(chat.stream([], error_after=503), chat.stream(["Hi!"]))

    events = await collect(coach, coach_request())

    assert len(fake.stream_calls) == 2
    assert final_reply(events).text == "Hi!"


async def test_429_forever_is_busy_and_retryable(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, max_retries=2)
    fake.script_stream(then=chat.error(429))

    events, error = await collect_until_error(provider, coach_request())

    assert events == []
    assert error.message == BUSY
    assert error.retryable is True
    assert len(fake.stream_calls) == 3  # the first try and two retries
    assert fake.json_calls == []


async def test_no_retries_when_max_retries_is_zero(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, max_retries=0)
    fake.script_stream(chat.error(500))

    _, error = await collect_until_error(provider, coach_request())

    assert error.retryable is True
    assert len(fake.stream_calls) == 1


@pytest.mark.parametrize("reason", ["SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "OTHER"])
async def test_a_blocked_prompt_is_refused_plainly(
    fake: FakeGeminiChat, coach: GeminiCoach, reason: str
) -> None:
    fake.script_stream(chat.blocked(reason))

    events, error = await collect_until_error(coach, coach_request(message="something awful"))

    assert events == []
    assert error.message == REFUSED
    assert error.retryable is False
    assert len(fake.stream_calls) == 1
    assert fake.json_calls == []


async def test_a_safety_stop_after_some_tokens_keeps_them_then_refuses(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    fake.script_stream(chat.stream(["Sure, ", "here is"], finish_reason="SAFETY"))

    events, error = await collect_until_error(coach, coach_request())

    assert tokens(events) == ["Sure, "]
    assert error.message == REFUSED


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (chat.stream(["Hello ", "there, ", "owl"], error_after=500), BUSY),
        (chat.stream(["Hello ", "there, ", "owl"], error_after=429), BUSY),
        (chat.stream(["Hello ", "there, ", "owl"], drop=True), INTERRUPTED),
    ],
    ids=["error event 500", "error event 429", "dropped connection"],
)
async def test_a_mid_stream_failure_comes_after_the_tokens_and_is_not_sent_again(
    fake: FakeGeminiChat, coach: GeminiCoach, answer: chat.Answer, message: str
) -> None:
    fake.script_stream(answer)

    events, error = await collect_until_error(coach, coach_request())

    assert tokens(events) == ["Hello ", "there, ", "owl"]
    assert all(isinstance(event, Token) for event in events)
    assert error.message == message
    assert error.retryable is True
    assert len(fake.stream_calls) == 1, "sending it again would repeat the tokens"
    assert fake.json_calls == []


async def test_a_dropped_connection_before_any_token_is_sent_again(
    fake: FakeGeminiChat, coach: GeminiCoach
) -> None:
    fake.script_stream(chat.stream([], drop=True), chat.stream(["Hi!"]))

    events = await collect(coach, coach_request())

    assert len(fake.stream_calls) == 2
    assert final_reply(events).text == "Hi!"


async def test_a_rejected_key_is_a_configuration_error(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, api_key="not-the-key")

    events, error = await collect_until_error(provider, coach_request())

    assert events == []
    assert error.message == NOT_CONFIGURED
    assert error.retryable is False
    assert len(fake.calls) == 1


@pytest.mark.parametrize("status", [400, 401, 403])
async def test_client_errors_are_configuration_errors_not_retried(
    fake: FakeGeminiChat, coach: GeminiCoach, status: int
) -> None:
    fake.script_stream(chat.error(status))

    _, error = await collect_until_error(coach, coach_request())

    assert error.message == NOT_CONFIGURED
    assert error.retryable is False
    assert len(fake.calls) == 1


async def test_an_unknown_model_is_a_configuration_error(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, model="gemini-9-imaginary")

    _, error = await collect_until_error(provider, coach_request())

    assert error.message == NOT_CONFIGURED
    assert len(fake.calls) == 1


async def test_a_timeout_is_a_retryable_error_not_sent_again(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, timeout_s=0.3)
    fake.script_stream(chat.slow(3, chat.stream(["too late"])))

    events, error = await collect_until_error(provider, coach_request())

    assert events == []
    assert error.message == TIMED_OUT
    assert error.retryable is True
    assert len(fake.stream_calls) == 1


async def test_a_stall_mid_stream_times_out_after_the_tokens(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, timeout_s=0.3)
    fake.script_stream(chat.stream(["Hello ", "there"], pause_s=3))

    events, error = await collect_until_error(provider, coach_request())

    assert tokens(events) == ["Hello "]
    assert error.message == TIMED_OUT


async def test_an_empty_answer_is_an_error(fake: FakeGeminiChat, coach: GeminiCoach) -> None:
    fake.script_stream(chat.stream([]))

    events, error = await collect_until_error(coach, coach_request())

    assert events == []
    assert error.retryable is True


async def test_an_unreachable_server_is_a_coach_error(fake: FakeGeminiChat) -> None:
    provider = make_coach(fake, base_url="http://127.0.0.1:9", max_retries=1)

    _, error = await collect_until_error(provider, coach_request())

    assert error.retryable is True


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_key_is_refused_up_front(key: str) -> None:
    with pytest.raises(ValueError, match="API key"):
        GeminiCoach(api_key=key, model=CHAT_MODEL)


def test_the_coach_names_itself() -> None:
    provider = GeminiCoach(api_key="k", model="some-model")

    assert provider.name == "gemini"
    assert provider.model == "some-model"
