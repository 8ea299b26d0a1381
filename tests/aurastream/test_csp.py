"""Every HTML page is served under an enforced Content-Security-Policy: scripts from our own
origin only (no inline script, no eval), nothing may frame the site."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/accounts/login/", "/accounts/signup/", "/pricing/", "/api/v1/docs/", "/admin/login/"]
SIGNED_IN = ["/dashboard/", "/create/", "/brand/", "/library/", "/coach/", "/profile/", "/billing/"]
STAFF = ["/admin/", "/admin/accounts/user/", "/admin/generation/generationjob/"]


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", PUBLIC + SIGNED_IN + STAFF)
def test_every_page_sends_an_enforced_policy_without_inline_scripts(client, path):
    if path in SIGNED_IN:
        client.force_login(UserFactory())
    if path in STAFF:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert "Content-Security-Policy-Report-Only" not in response
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    # No inline script the policy would refuse (JSON data blocks are not scripts).
    html = response.content.decode()
    for chunk in html.split("<script")[1:]:
        opening = chunk.split(">", 1)[0]
        assert "src=" in opening or 'type="application/json"' in opening, (path, opening)
