"""The plans AuraStream sells, as data. Entitlement checks read these numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    monthly_price: Decimal
    tagline: str
    # None means unlimited.
    generations_per_month: int | None
    coach_sessions: int | None  # sessions ever started (Free: one trial)
    coach_grounding: bool  # the coach may search the web
    refines_per_month: int | None  # plain-words refines included; more count as generations
    media_items: int | None  # the creator's own images kept to put into assets
    brand_kits: int | None
    custom_fonts: bool
    asset_retention_days: int | None
    priority_queue: bool
    motion: bool  # animated emotes, stickers, alerts and overlays
    platform_connections: int | None  # Twitch, YouTube and Kick channels connected at once
    team_seats: int  # seats in each team workspace the creator owns; 0: no teams
    developer_api: bool  # personal API keys and outbound webhooks
    features: tuple[str, ...]

    @property
    def is_free(self) -> bool:
        return self.monthly_price == 0


FREE = Plan(
    code="free",
    name="Free",
    monthly_price=Decimal("0"),
    tagline="Try AuraStream on your channel.",
    generations_per_month=3,
    coach_sessions=1,
    coach_grounding=False,
    refines_per_month=0,
    media_items=3,
    brand_kits=1,
    custom_fonts=False,
    asset_retention_days=30,
    priority_queue=False,
    motion=False,
    platform_connections=1,
    team_seats=0,
    developer_api=False,
    features=(
        "3 generations a month",
        "One Prompt Coach trial session",
        "1 platform connection (Twitch, YouTube or Kick)",
        "1 brand kit with bundled fonts",
        "3 of your own images to use",
        "Assets kept for 30 days",
    ),
)
PRO = Plan(
    code="pro",
    name="Pro",
    monthly_price=Decimal("9.99"),
    tagline="For streamers who refresh their look every week.",
    generations_per_month=50,
    coach_sessions=None,
    coach_grounding=False,
    refines_per_month=5,
    media_items=25,
    brand_kits=5,
    custom_fonts=True,
    asset_retention_days=None,
    priority_queue=True,
    motion=True,
    platform_connections=3,
    team_seats=0,
    developer_api=True,
    features=(
        "50 generations a month",
        "Animated emotes, stickers, alerts and overlays",
        "Unlimited Prompt Coach",
        "5 refines a month in plain words",
        "25 of your own images to use",
        "5 brand kits and your own fonts",
        "3 platform connections, publishing to YouTube",
        "API keys and signed webhooks",
        "Priority queue",
        "Assets kept while you subscribe",
    ),
)
STUDIO = Plan(
    code="studio",
    name="Studio",
    monthly_price=Decimal("29.99"),
    tagline="For teams and full-time creators.",
    generations_per_month=None,
    coach_sessions=None,
    coach_grounding=True,
    refines_per_month=None,
    media_items=200,
    brand_kits=None,
    custom_fonts=True,
    asset_retention_days=None,
    priority_queue=True,
    motion=True,
    platform_connections=None,
    team_seats=5,
    developer_api=True,
    features=(
        "Unlimited generations",
        "Animated emotes, stickers, alerts and overlays",
        "Prompt Coach with web grounding",
        "Unlimited refines",
        "200 of your own images to use",
        "Unlimited brand kits",
        "Unlimited platform connections",
        "Team workspaces with 5 seats each: owner, admins, editors, viewers",
        "API keys and signed webhooks",
        "Custom branding",
        "Priority queue",
    ),
)

PLANS: dict[str, Plan] = {plan.code: plan for plan in (FREE, PRO, STUDIO)}


def upgrade_for(plan: Plan, *, limit: Callable[[Plan], int | None]) -> Plan | None:
    """The cheapest plan that raises ``limit`` above ``plan``'s (None: nothing higher)."""
    current = limit(plan)
    if current is None:
        return None
    for candidate in sorted(PLANS.values(), key=lambda p: p.monthly_price):
        higher = limit(candidate)
        if candidate.monthly_price > plan.monthly_price and (higher is None or higher > current):
            return candidate
    return None
