"""axe-core finds no accessibility violation on any of the creator's pages, in either theme.

axe-core (the npm package, `npm ci`) is evaluated in each page through the DevTools protocol,
which the page's Content-Security-Policy does not govern, so the policy stays enforced and the
browser still fails the test on anything it refuses. Every rule axe runs by default is checked
(WCAG 2.x A and AA, and its best practices such as heading order and landmarks), on pages
holding real data: a brand kit, a finished job and its asset, a coach conversation.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from brandkits.services import brand_kit_create
from coach import services as coach_services
from coach import streaming
from coach.models import CoachMessage
from generation.models import GenerationJob
from generation.services import JobRequest, job_create
from library.models import Asset
from tests.e2e.browser import watch_csp

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
THEMES = ("dark", "light")

# Runs every default rule (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa, best-practice…)
# and returns only what a developer needs to find and fix each violation.
RUN_AXE = """
async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html.slice(0, 200),
      summary: n.failureSummary,
    })),
  }));
}
"""


# The focused element after a Tab, and whether it draws its own outline; ``done`` once focus
# comes back round to an element already seen.
FOCUSED = """
() => {
  const el = document.activeElement;
  window.__tabbed ??= new WeakSet();
  if (!el || el === document.body) return { done: false, outlined: true };
  if (window.__tabbed.has(el)) return { done: true };
  window.__tabbed.add(el);
  window.__focused = el;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return { done: false, outlined, html: el.outerHTML.slice(0, 200) };
}
"""
# The rings of the focused element and its containers (a card may show the focus of a link
# that covers it), so they can be compared with and without focus; transitions are run to
# their end first.
RINGS = """
() => {
  document.getAnimations().filter((a) => a instanceof CSSTransition).forEach((a) => a.finish());
  const rings = [];
  for (let el = window.__focused; el && el !== document.body; el = el.parentElement) {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle === "none" ? "none" : `${style.outlineWidth} ${style.outlineColor}`;
    rings.push([style.boxShadow, outline, style.borderColor].join());
  }
  return rings;
}
"""
MAX_TAB_STOPS = 150


def unfocused_visibly(page: Page) -> list[str]:
    """Tab through the page: every element keyboard focus reaches must show it, by an outline
    of its own or a ring on itself or a container that is there only while it has focus."""
    missing = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["done"]:
            break
        if stop["outlined"]:
            continue
        focused = page.evaluate(RINGS)
        page.evaluate("window.__focused.blur()")
        if page.evaluate(RINGS) == focused:
            missing.append(stop["html"])
        page.evaluate("window.__focused.focus()")
    return missing


def coach_conversation(user: User) -> str:
    """A coach session with one exchange, replied to by the offline coach as the socket would."""
    session = coach_services.session_create(user=user)
    prepared = coach_services.reply_prepare(
        user_id=user.pk, session_id=session.pk, text='A hype Twitch emote of a cat in a crown, "GG"'
    )
    # Playwright's event loop owns this thread; the reply streams on a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, streaming.stream_reply(prepared)).result()
    reply = session.messages.get(role=CoachMessage.Role.COACH)
    assert reply.status == CoachMessage.Status.COMPLETE, (reply.status, reply.error, reply.content)
    return f"/coach/{session.pk}/"


def finished_job(user: User) -> GenerationJob:
    """A thumbnail made by the real engine (local provider; Celery runs it eagerly)."""
    request = JobRequest(spec_key="youtube.thumbnail", prompt='Neon arcade at night, "BOSS RUSH"')
    job, _ = job_create(user=user, request=request)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.status
    return job


def job_page(user: User) -> str:
    return f"/create/jobs/{finished_job(user).pk}/"


def library_page(user: User) -> str:
    finished_job(user)
    return "/library/"


def asset_page(user: User) -> str:
    finished_job(user)
    return f"/library/assets/{Asset.objects.get(owner=user).pk}/"


def brand_kit_page(user: User) -> str:
    return f"/brand/{user.brand_kits.get().pk}/"


@dataclass(frozen=True)
class Screen:
    signed_in: bool
    path: Callable[[User], str]


SCREENS: dict[str, Screen] = {
    "landing": Screen(False, lambda user: "/"),
    "login": Screen(False, lambda user: "/accounts/login/"),
    "signup": Screen(False, lambda user: "/accounts/signup/"),
    "dashboard": Screen(True, lambda user: "/dashboard/"),
    "create": Screen(True, lambda user: "/create/"),
    "quick create gallery": Screen(True, lambda user: "/create/quick/"),
    "quick create form": Screen(True, lambda user: "/create/quick/starting-soon/"),
    "job": Screen(True, job_page),
    "library": Screen(True, library_page),
    "asset": Screen(True, asset_page),
    "brand kit editor": Screen(True, brand_kit_page),
    "coach": Screen(True, coach_conversation),
    "pricing": Screen(True, lambda user: "/pricing/"),
    "billing": Screen(True, lambda user: "/billing/"),
    "profile": Screen(True, lambda user: "/profile/"),
}


@pytest.fixture(scope="module")
def contexts(browser: Browser, live_server) -> Iterator[dict[str, BrowserContext]]:
    """One browser context a theme, shared by the module's tests (each sets its own cookies)."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci`"
    made = {}
    for theme in THEMES:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        made[theme] = context
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def creator(pro_creator) -> User:
    """A Pro creator (the coach, refines and packs all show) with a default brand kit."""
    brand_kit_create(owner=pro_creator, name="Neon Nights", primary_color="#7C3AED", accent_color="#22D3EE")
    return pro_creator


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}  {node['html']}")
            lines.extend(f"        {line}" for line in (node["summary"] or "").splitlines() if line.strip())
    return "\n".join(lines)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_axe_violations(contexts, live_server, creator, screen: str, theme: str) -> None:
    context = contexts[theme]
    context.clear_cookies()
    cookies = [{"name": "theme", "value": theme, "url": live_server.url}]
    if SCREENS[screen].signed_in:
        client = Client()
        client.force_login(creator)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    context.add_cookies(cookies)
    path = SCREENS[screen].path(creator)

    page = context.new_page()
    csp_violations = watch_csp(page)
    try:
        response = page.goto(path)
        assert response is not None
        assert response.ok, (path, response.status)
        expect(page.locator("html")).to_have_class(re.compile(rf"\b{theme}\b"))
        # htmx loads parts of some pages after the first paint (previews, panels).
        page.wait_for_load_state("networkidle")
        page.evaluate(AXE.read_text())
        violations = page.evaluate(RUN_AXE)
        no_visible_focus = unfocused_visibly(page)
    finally:
        page.close()
    assert not csp_violations, csp_violations
    assert not violations, f"axe found on {path} ({theme}):\n{describe(violations)}"
    assert not no_visible_focus, "Focus is not visible on:\n" + "\n".join(no_visible_focus)
