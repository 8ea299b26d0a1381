"""A creator talks an idea through with the Prompt Coach in Chromium, then generates from it.

The pages and the coach's websocket are served by daphne in a child process (tests/e2e/asgi.py),
with the offline coach slowed down per token so the reply can be watched as it streams in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from coach.models import CoachMessage, CoachSession
from coach.providers import coach_provider
from generation.models import GenerationJob
from tests.e2e.asgi import DaphneLiveServer
from tests.e2e.browser import sign_in
from tests.factories import BrandKitFactory

IDEA = 'A hype Twitch emote of a cat wearing a crown, neon style, with the text "GG"'
# A reply of the offline coach runs to some 50-80 tokens: a few seconds at these paces.
TOKEN_DELAY_S = 0.03
REPLY_TIMEOUT = 20_000

# Installed before the page's scripts: writes down the length of the newest coach reply and its
# status at every change the browser makes to the conversation, so the test sees the reply
# grow as the creator does, however fast the tokens come.
RECORD_REPLY = """
(() => {
  window.__reply = [];
  const record = () => {
    const replies = document.querySelectorAll("[data-messages] [data-role=coach]");
    const reply = replies[replies.length - 1];
    if (!reply) return;
    const state = {
      id: reply.getAttribute("data-id"),
      status: reply.getAttribute("data-status"),
      length: reply.querySelector("[data-content]").textContent.length,
    };
    const last = window.__reply[window.__reply.length - 1];
    if (!last || JSON.stringify(last) !== JSON.stringify(state)) window.__reply.push(state);
  };
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(record).observe(document.body, {
      childList: true, subtree: true, characterData: true, attributes: true,
    });
  });
})();
"""


@pytest.fixture
def creator(pro_creator):
    # Pro: unlimited coach sessions, and generations enough for the hand-off.
    BrandKitFactory(owner=pro_creator, name="Neon Nights", is_default=True, primary_color="#FF2E88")
    return pro_creator


@pytest.fixture
def coach_server(start_daphne, settings) -> Iterator[Callable[[float], DaphneLiveServer]]:
    """Starts daphne with the offline coach paced at ``token_delay_s`` a token."""

    def start(token_delay_s: float = TOKEN_DELAY_S) -> DaphneLiveServer:
        # Read by the child when it is forked; setting_changed also drops the cached provider.
        settings.COACH_PROVIDER_OPTIONS = {"token_delay_s": token_delay_s}
        coach_provider.cache_clear()
        return start_daphne()

    yield start
    coach_provider.cache_clear()


def start_session(page: Page) -> None:
    page.get_by_role("link", name="Talk it through with the Coach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talk it through, then make it")
    page.get_by_role("button", name="Start a session").click()
    expect(page).to_have_url(re.compile(r"/coach/[0-9a-f-]{36}/$"))
    expect(page.locator("[data-connection-text]")).to_have_text("Connected")


def replies(page: Page):
    return page.locator("[data-messages] [data-role=coach]")


def send(page: Page, text: str) -> None:
    composer = page.get_by_role("textbox", name="Message the coach")
    composer.fill(text)
    composer.press("Enter")


def wait_for_reply(page: Page, count: int) -> str:
    """Wait for the creator's count-th reply to finish; return its text."""
    reply = replies(page).nth(count - 1)
    expect(reply).to_have_attribute("data-status", "complete", timeout=REPLY_TIMEOUT)
    return reply.locator("[data-content]").text_content() or ""


def watched_lengths(page: Page, reply_id: str) -> tuple[list[int], int]:
    """The lengths a reply showed while it streamed, and its length once complete."""
    states = [s for s in page.evaluate("window.__reply") if s["id"] == reply_id]
    streamed = [s["length"] for s in states if s["status"] == "streaming" and s["length"] > 0]
    finished = [s["length"] for s in states if s["status"] == "complete"]
    assert finished, states
    return streamed, finished[-1]


def brief_value(page: Page, name: str):
    return page.locator(f'[data-brief-field="{name}"] [data-value]')


def test_a_creator_talks_an_idea_through_and_generates_it(coach_server, new_page, creator):
    server = coach_server()
    page = new_page(server.url, init_script=RECORD_REPLY)
    sign_in(page, creator.email)
    start_session(page)
    generate = page.get_by_role("button", name="Generate from this brief")
    expect(generate).to_be_disabled()

    send(page, IDEA)

    # The creator's words appear at once, the box empties, and the reply types itself out.
    expect(page.locator("[data-messages] [data-role=user]").first).to_have_text(
        re.compile("cat wearing a crown")
    )
    expect(page.get_by_role("textbox", name="Message the coach")).to_have_value("")
    first = wait_for_reply(page, 1)
    reply_id = replies(page).first.get_attribute("data-id") or ""
    streamed, final = watched_lengths(page, reply_id)
    assert len(set(streamed)) >= 2, streamed
    assert streamed == sorted(streamed), streamed
    assert streamed[0] < max(streamed)
    assert final == len(first)
    assert first == CoachMessage.objects.get(pk=reply_id).content

    # The brief filled in from what was said.
    expect(brief_value(page, "platform")).to_have_text("Twitch")
    expect(brief_value(page, "asset_type")).to_have_text("Emote (static)")
    expect(brief_value(page, "subject")).to_contain_text("cat wearing a crown")
    expect(brief_value(page, "text")).to_have_text("GG")

    # A reload mid-conversation shows the same conversation and brief again.
    page.reload()
    expect(page.locator("[data-connection-text]")).to_have_text("Connected")
    expect(page.locator("[data-messages] [data-message]")).to_have_count(2)
    expect(replies(page).first.locator("[data-content]")).to_have_text(first)
    expect(brief_value(page, "platform")).to_have_text("Twitch")
    expect(page.get_by_role("heading", level=1)).to_contain_text("A hype Twitch emote")

    # A second message from the quick replies: the kit's colours join the brief as swatches,
    # and the brief is (or stays) ready.
    quick_replies = page.get_by_role("group", name="Quick replies").get_by_role("button")
    expect(quick_replies.first).to_be_visible()
    colours = quick_replies.filter(has_text="brand colours")
    if colours.count():
        colours.first.click()
    else:
        send(page, "Use my brand colours")
    wait_for_reply(page, 2)
    expect(page.locator('[data-brief-field="colors"] [data-color="#FF2E88"]')).to_be_visible()
    expect(page.locator("[data-brief-panel] [data-ready]")).to_be_visible()
    expect(generate).to_be_enabled()

    generate.click()

    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("list", name="Steps").get_by_role("listitem")).to_have_count(6)
    # Celery runs eagerly in the server under test, so the job is finished when the page opens.
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible()
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    job = GenerationJob.objects.get(user=creator)
    assert job.spec_key == "twitch.emote"
    assert job.text == "GG"
    assert CoachSession.objects.get(user=creator).brief_ready


def test_the_brief_panel_shows_the_layout_and_the_colour_rule_as_they_are_understood(
    coach_server, new_page, creator
):
    server = coach_server(0.0)
    page = new_page(server.url, init_script=RECORD_REPLY)
    sign_in(page, creator.email)
    start_session(page)
    colour_rule = page.locator('[data-brief-field="colors"] [data-colour-rule]')
    expect(colour_rule).to_have_text("Colours, fonts and logo from your kit")

    send(page, "YouTube thumbnail of me vs my brother in minecraft, neon purple and teal, text WHO WINS")
    wait_for_reply(page, 1)

    # Filled in live from the websocket, cleaned of the words the other fields took.
    expect(brief_value(page, "subject")).to_have_text("me vs my brother in minecraft")
    expect(brief_value(page, "style")).to_have_text("neon")
    expect(brief_value(page, "text")).to_have_text("WHO WINS")
    expect(brief_value(page, "layout")).to_have_text("versus split")
    expect(colour_rule).to_have_text("Purple and teal from your words, fonts and logo from your kit")
    # The same on a fresh page load, rendered by the server.
    page.reload()
    expect(brief_value(page, "layout")).to_have_text("versus split")
    expect(colour_rule).to_have_text("Purple and teal from your words, fonts and logo from your kit")


def test_a_dropped_socket_reconnects_and_the_reply_carries_on(coach_server, new_page, creator):
    server = coach_server(0.06)
    page = new_page(server.url, init_script=RECORD_REPLY)
    sockets: list[WebSocketRoute] = []

    def relay(socket: WebSocketRoute) -> None:
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/ws/coach/"), relay)
    sign_in(page, creator.email)
    start_session(page)

    send(page, IDEA)
    reply = replies(page).first
    expect(reply.locator("[data-content]")).to_have_text(re.compile(r"\S{3}"))
    expect(reply).to_have_attribute("data-status", "streaming")
    sockets[0].close()  # the connection drops mid-reply

    expect(page.locator("[data-connection-text]")).to_have_text("Reconnecting…")
    expect(page.locator("[data-connection-text]")).to_have_text("Connected")
    text = wait_for_reply(page, 1)

    assert len(sockets) == 2
    saved = CoachMessage.objects.get(session__user=creator, role="coach")
    assert text == saved.content
    streamed, _ = watched_lengths(page, str(saved.pk))
    assert len(set(streamed)) >= 3, streamed
    expect(page.locator("[data-messages] [data-message]")).to_have_count(2)
