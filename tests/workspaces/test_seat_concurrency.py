"""Invitations sent at the same moment never take more seats than the team has."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from workspaces import services
from workspaces.models import Invitation

pytestmark = pytest.mark.django_db(transaction=True)


def test_six_invitations_at_once_for_the_last_seat_send_exactly_one():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a shared database file")
    owner = UserFactory(plan="studio")
    team = services.team_create(owner=owner, name="Night Owl Agency")
    for n in range(3):  # the owner and three open invitations: four of five seats
        services.invitation_create(
            workspace=team, email=f"early{n}@example.com", role="editor", invited_by=owner, seats=5
        )
    client = Client()
    client.force_login(owner)
    start = threading.Barrier(6)

    def attempt(n: int) -> int:
        try:
            start.wait()
            answer = client.post(
                reverse("teams:invite", args=[team.pk]), {"email": f"late{n}@example.com", "role": "viewer"}
            )
            return answer.status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(attempt, range(6)))

    assert sorted(answers) == [302, 400, 400, 400, 400, 400]
    assert services.seats_taken(team) == 5
    assert Invitation.objects.filter(email__startswith="late").count() == 1
