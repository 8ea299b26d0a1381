"""Emails carry the site's name, a text and an HTML part; every non-transactional one has a
one-click unsubscribe (RFC 8058) whose signed link works signed out and can't be forged, and an
unsubscribed creator gets none of that kind."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client

from accounts import emails, services
from accounts.models import EmailKind, EmailOptOut, Notification

pytestmark = pytest.mark.django_db


def unsubscribe_path(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    match = re.fullmatch(r"<https?://[^/]+(/email/unsubscribe/[^>]+/)>", header)
    assert match, header
    return match.group(1)


def test_signup_sends_a_welcome_with_a_text_and_html_part_and_one_click_unsubscribe(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": "nova@example.com", "password1": "glowing-neon-77", "password2": "glowing-neon-77"},
        )

    welcome = next(m for m in mail.outbox if "Welcome" in m.subject)
    assert welcome.subject == "[AuraStream] Welcome to AuraStream"
    assert welcome.to == ["nova@example.com"]
    assert "Welcome to AuraStream!" in welcome.body
    assert "Hi there," in welcome.body  # never the email's local part
    assert "nova," not in welcome.body
    html, mimetype = welcome.alternatives[0]
    assert mimetype == "text/html"
    assert "Welcome to AuraStream!" in html
    assert welcome.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(welcome)
    assert path in welcome.body  # the text part's footer
    assert path in html


def test_the_unsubscribe_link_works_signed_out_get_confirms_and_post_unsubscribes(user):
    token = emails.unsubscribe_token(user_id=user.pk, kind=EmailKind.JOBS)
    signed_out = Client(enforce_csrf_checks=True)  # a mail client's POST has no CSRF token

    page = signed_out.get(f"/email/unsubscribe/{token}/")
    assert page.status_code == 200
    assert "Unsubscribe from these emails?" in page.content.decode()
    assert not EmailOptOut.objects.exists()  # link scanners follow GETs: nothing changes

    # RFC 8058's one-click POST.
    done = signed_out.post(
        f"/email/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200
    assert "You're unsubscribed" in done.content.decode()
    assert list(EmailOptOut.objects.values_list("user_id", "kind")) == [(user.pk, "jobs")]


def test_an_unsubscribe_link_cannot_be_forged_or_turned_on_another_account(user, other_user):
    token = emails.unsubscribe_token(user_id=user.pk, kind=EmailKind.JOBS)
    payload, signature = token.rsplit(":", 1)
    forged = [
        f"{payload}:{'A' * len(signature)}",  # a made-up signature
        signing.dumps({"u": other_user.pk, "k": "jobs"}),  # signed, but not for unsubscribing
        signing.dumps({"u": other_user.pk, "k": "jobs"}, salt="wrong"),
        token.replace(payload, signing.b64_encode(f'{{"u":{other_user.pk},"k":"jobs"}}'.encode()).decode()),
        emails.unsubscribe_token(user_id=user.pk, kind="password_reset"),  # not a kind one may drop
    ]
    client = Client(enforce_csrf_checks=True)

    for bad in forged:
        assert client.post(f"/email/unsubscribe/{bad}/").status_code == 404, bad
        assert client.get(f"/email/unsubscribe/{bad}/").status_code == 404, bad

    assert not EmailOptOut.objects.exists()


def test_an_unsubscribed_creator_gets_no_email_of_that_kind_but_transactional_ones_still_go(
    user, django_capture_on_commit_callbacks
):
    for kind in EmailKind.values:
        token = emails.unsubscribe_token(user_id=user.pk, kind=kind)
        assert Client().post(f"/email/unsubscribe/{token}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        services.welcome_email_send(user=user)
        notification = services.notify(
            user_id=user.pk, kind=Notification.Kind.JOB_SUCCEEDED, message="Pack ready", email_when_away=True
        )
        for template, kind in [
            ("billing/email/plan_changed", EmailKind.PLAN),
            ("library/email/expiry_notice", EmailKind.EXPIRY),
        ]:
            assert services.account_email_send(user=user, template=template, context={}, kind=kind) is False

    assert mail.outbox == []
    assert Notification.objects.filter(pk=notification.pk).exists()  # the bell still says it

    # Transactional: a reset link is sent whatever the preferences.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_the_preferences_page_switches_kinds_off_and_on(auth_client, user):
    page = auth_client.get("/profile/emails/").content.decode()
    for kind in EmailKind:
        assert str(kind.label).replace("'", "&#x27;") in page

    auth_client.post("/profile/emails/", {"kinds": ["welcome", "plan"]})
    assert set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == {"jobs", "expiry"}
    assert not emails.email_wanted(user=user, kind=EmailKind.JOBS)

    auth_client.post("/profile/emails/", {"kinds": EmailKind.values})
    assert not EmailOptOut.objects.filter(user=user).exists()
