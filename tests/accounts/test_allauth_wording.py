"""allauth's pages and emails speak like the rest of the app: the site's name, sentence case,
a way on after each step."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def sign_up(client, django_capture_on_commit_callbacks, email="new.creator@example.com"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            "/accounts/signup/",
            {"email": email, "password1": "glowing-neon-77", "password2": "glowing-neon-77"},
            follow=True,
        )


def test_the_verification_email_names_the_site_and_its_domain(
    client, django_capture_on_commit_callbacks, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    sign_up(client, django_capture_on_commit_callbacks)

    [message] = [m for m in mail.outbox if "/accounts/confirm-email/" in m.body]
    assert " on ." not in message.body
    assert f"an account on AuraStream ({settings.SITE_DOMAIN})" in message.body
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)


def visible_text(response) -> str:
    """The page's words a creator reads (tags stripped), from the main landmark on."""
    page = response.content.decode().split('id="main"', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


TITLE_CASE = (
    "Sign Up",
    "Sign In",
    "Sign Out",
    "Reset My Password",
    "Password Reset",
    "Remember Me",
    "Change Password",
    "Verify Your Email Address",
    "Email Address ",
    "Change Email",
    "Current Password",
    "New Password",
    "Account Connections",
    "Add a Third-Party Account",
)


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/key/done/",
    ],
)
def test_signed_out_account_pages_speak_in_sentence_case(client, url):
    text = visible_text(client.get(url))

    assert [words for words in TITLE_CASE if words in text] == []


@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/password/change/", "/accounts/logout/"])
def test_signed_in_account_pages_speak_in_sentence_case(auth_client, url):
    text = visible_text(auth_client.get(url))

    assert [words for words in TITLE_CASE if words in text] == []


def test_the_sign_up_and_reset_pages_say_it_plainly(client):
    assert "Sign up" in visible_text(client.get("/accounts/signup/"))
    assert "Reset my password" in visible_text(client.get("/accounts/password/reset/"))


def test_email_subjects_are_in_sentence_case(client, django_capture_on_commit_callbacks, settings, user):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    sign_up(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})

    subjects = {message.subject for message in mail.outbox}
    assert {"[AuraStream] Please confirm your email address", "[AuraStream] Reset your password"} <= subjects


def test_after_a_password_reset_the_page_leads_to_sign_in(client, django_capture_on_commit_callbacks, user):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    [link] = re.findall(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"password1": "a-new-glowing-77", "password2": "a-new-glowing-77"}, follow=True
    )

    text = visible_text(response)
    assert "Your password is now changed." in text
    main = response.content.decode().split('id="main"', 1)[-1].split("</main>")[0]
    assert '<a href="/accounts/login/"' in main
    assert "Sign in with your new password" in text
    assert client.login(email=user.email, password="a-new-glowing-77")
