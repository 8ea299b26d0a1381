from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.seed import SEED_DOMAIN, seed_allowed, seed_analytics


class Command(BaseCommand):
    help = (
        "Fill the analytics dashboard with demo figures: traffic, creators (at "
        f"@{SEED_DOMAIN}), their jobs, coach sessions and subscriptions. Running it again "
        "replaces the previous demo creators and the covered days' daily figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90, help="How many days, ending today (default 90).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed makes the same figures.")
        parser.add_argument("--force", action="store_true", help="Run even with production settings.")

    def handle(self, *args: Any, days: int, seed: int, force: bool, **options: Any) -> None:
        if not seed_allowed() and not force:
            raise CommandError(
                "These are production settings: demo data would mix with real figures. Use --force."
            )
        if not 1 <= days <= 400:
            raise CommandError("--days is between 1 and 400.")
        made = seed_analytics(days=days, seed=seed)
        summary = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in made.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded the analytics dashboard: {summary}."))
        self.stdout.write("Open /admin/analytics/ as a staff user.")
