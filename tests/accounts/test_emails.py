"""Verification and reset emails really leave, through the worker, after the commit."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_signup_sends_a_verification_link(client, django_capture_on_commit_callbacks, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "New.Creator@Example.com",
                "password1": "glowing-neon-77",
                "password2": "glowing-neon-77",
            },
        )

    # The verification link, and the welcome (tests/accounts/test_notification_emails.py).
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if "confirm-email" in m.body)
    assert message.to == ["new.creator@example.com"]
    assert message.subject.startswith("[AuraStream]")
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)
    # Transactional: always sent, so nothing to unsubscribe from.
    assert "List-Unsubscribe" not in message.extra_headers


def test_nothing_is_sent_when_the_signup_is_refused(client, django_capture_on_commit_callbacks, user):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {"email": "bad", "password1": "x", "password2": "y"})

    assert response.status_code == 200
    assert mail.outbox == []


def test_password_reset_sends_a_reset_link(client, django_capture_on_commit_callbacks, user):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+/", mail.outbox[0].body)
