"""The demo figures command: repeatable, replaceable, and kept out of production."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from analytics.models import DailyTraffic, Journey
from analytics.reports.period import Period
from analytics.reports.traffic import traffic
from generation.models import GenerationJob

pytestmark = pytest.mark.django_db


def test_seeding_twice_with_the_same_seed_makes_the_same_figures(staff_client):
    out = io.StringIO()
    call_command("seed_analytics", "--days", "21", "--seed", "7", stdout=out)
    assert "Seeded the analytics dashboard: 21 days" in out.getvalue()
    first = (traffic(Period.last(21)).visitors, Journey.objects.count(), GenerationJob.objects.count())
    call_command("seed_analytics", "--days", "21", "--seed", "7", stdout=io.StringIO())
    again = (traffic(Period.last(21)).visitors, Journey.objects.count(), GenerationJob.objects.count())
    assert first == again
    assert first[0] > 0
    assert User.objects.filter(email__endswith="@seed.aurastream.invalid").count() == first[1]
    assert DailyTraffic.objects.filter(dimension="total").count() == 21
    # The jobs keep the times they were given, across the whole range.
    times = GenerationJob.objects.order_by("created_at").values_list("created_at", flat=True)
    assert (times.last() - times.first()).days >= 14
    assert staff_client.get("/admin/analytics/?range=30").status_code == 200


def test_seeding_refuses_production_settings_unless_forced(settings):
    settings.SETTINGS_MODULE = "aurastream.settings.production"
    with pytest.raises(CommandError, match="production settings"):
        call_command("seed_analytics", "--days", "3")
    call_command("seed_analytics", "--days", "3", "--force", stdout=io.StringIO())
    assert DailyTraffic.objects.filter(dimension="total").count() == 3
