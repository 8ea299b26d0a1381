from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_landing_shows_the_three_plans_side_by_side(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    for name, price in (("Free", "$0"), ("Pro", "$9.99"), ("Studio", "$29.99")):
        assert name in page
        assert price in page
    assert "3 generations a month" in page
    assert 'href="/accounts/signup/"' in page


def test_pages_are_dark_by_default_and_remember_light(client):
    assert '<html lang="en" class="dark"' in client.get("/").content.decode()

    response = client.post("/theme/", {"theme": "light", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["theme"].value == "light"
    assert '<html lang="en" class="light"' in client.get("/").content.decode()


def test_theme_switch_never_redirects_off_site(client):
    response = client.post("/theme/", {"theme": "light", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_missing_page_is_a_styled_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<nav" in response.content
    assert b'href="/"' in response.content


def test_htmx_requests_carry_the_csrf_token(auth_client):
    page = auth_client.get("/dashboard/").content.decode()

    assert "hx-headers" in page
    assert "X-CSRFToken" in page
    assert "htmx.min.js" in page


def test_staff_find_users_in_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    UserFactory(email="pixelpilot@example.com", display_name="Pixel Pilot")
    UserFactory(email="other@example.com")
    client.force_login(staff)

    response = client.get("/admin/accounts/user/", {"q": "pixel"})

    assert response.status_code == 200
    assert b"pixelpilot@example.com" in response.content
    assert b"other@example.com" not in response.content
    assert client.get("/admin/accounts/user/", {"is_staff__exact": "1"}).status_code == 200


def test_creators_cannot_open_the_admin(auth_client):
    response = auth_client.get("/admin/accounts/user/")

    assert response.status_code == 404
