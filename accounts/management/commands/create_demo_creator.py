from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.services import demo_creator_ensure


class Command(BaseCommand):
    help = "Create the demo creator account (or reset its password) and print its login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="demo@aurastream.local")
        parser.add_argument("--password", default="demo-creator-2026")

    def handle(self, *args: Any, email: str, password: str, **options: Any) -> None:
        demo_creator_ensure(email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo creator login: {email} / {password}"))
