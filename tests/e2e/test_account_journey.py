"""A new creator's first visit, end to end in Chromium: sign up, verify, sign in, reset."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in, sign_up

EMAIL = "nova.streams@example.com"
FIRST_PASSWORD = "purple-comet-2026"
NEW_PASSWORD = "violet-nebula-2027"


def link_in_last_mail(pattern: str) -> str:
    assert mail.outbox, "no email was sent"
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def submit(page: Page, field: str) -> None:
    """Press the submit button of the form that holds the named field."""
    page.locator(f"form:has([name={field}]) button[type=submit]").first.click()


def sign_out(page: Page) -> None:
    button = page.locator("form[action='/accounts/logout/'] button:visible").first
    if not button.count():
        # The account menu folds away; open it as a creator would.
        page.locator("details:has(form[action='/accounts/logout/']) > summary:visible").first.click()
        button = page.locator("form[action='/accounts/logout/'] button:visible").first
    button.click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_new_creator_signs_up_verifies_signs_in_and_resets_password(page: Page, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    # Landing page → sign up.
    sign_up(page, EMAIL, FIRST_PASSWORD)

    # Mandatory verification: the app asks the creator to check their inbox.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("verify", re.I))

    # The link in the mail confirms the address and signs the creator in.
    page.goto(link_in_last_mail(r"http://[^\s]+/accounts/confirm-email/[^\s]+/"))
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    # The first visit: "Welcome", not "Welcome back", and no name made from the email address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
    expect(page.locator("main")).not_to_contain_text("nova.streams")

    # Sign out, sign back in.
    sign_out(page)
    sign_in(page, EMAIL, FIRST_PASSWORD)
    sign_out(page)

    # Forgot the password: reset it through the mailed link.
    page.goto("/accounts/login/")
    page.get_by_role("link", name=re.compile("forgot", re.I)).click()
    page.fill("input[name=email]", EMAIL)
    submit(page, "email")
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    page.goto(link_in_last_mail(r"http://[^\s]+/accounts/password/reset/key/[^\s]+/"))
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page, "password2")
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/key/done/$"))

    # The old password no longer works; the new one does.
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", FIRST_PASSWORD)
    submit(page, "login")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("main")).to_contain_text(re.compile("not correct", re.I))
    sign_in(page, EMAIL, NEW_PASSWORD)
