from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def obtain(api_client: APIClient, email: str, password: str) -> dict[str, str]:
    response = api_client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_token_pair_opens_me(api_client, user, password):
    tokens = obtain(api_client, user.email, password)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    response = api_client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["display_name"] == user.display_name


def test_wrong_password_is_refused_in_the_api_error_shape(api_client, user):
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": "nope"}, format="json"
    )

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["status"] == 401
    assert error["code"] == "no_active_account"
    assert "credentials" in error["message"]


def test_refresh_rotates_and_the_used_refresh_token_stops_working(api_client, user, password):
    tokens = obtain(api_client, user.email, password)

    first = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh"] != tokens["refresh"]
    assert rotated["access"]

    reused = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_not_valid"

    again = api_client.post("/api/v1/auth/token/refresh/", {"refresh": rotated["refresh"]}, format="json")
    assert again.status_code == 200


def test_verify_accepts_a_good_token_and_refuses_a_forged_one(api_client, user, password):
    tokens = obtain(api_client, user.email, password)

    good = api_client.post("/api/v1/auth/token/verify/", {"token": tokens["access"]}, format="json")
    forged = api_client.post(
        "/api/v1/auth/token/verify/", {"token": tokens["access"][:-4] + "AAAA"}, format="json"
    )

    assert good.status_code == 200
    assert forged.status_code == 401


def test_logout_blacklists_the_refresh_token(api_client, user, password):
    tokens = obtain(api_client, user.email, password)

    response = api_client.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 200

    refresh = api_client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
    assert refresh.status_code == 401


def test_me_needs_authentication(api_client):
    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_me_patch_updates_profile_and_rejects_bad_timezone(api_client, user):
    api_client.force_login(user)

    ok = api_client.patch(
        "/api/v1/me/", {"display_name": "NeonNova", "timezone": "Europe/Berlin"}, format="json"
    )
    bad = api_client.patch("/api/v1/me/", {"timezone": "Mars/Olympus"}, format="json")

    assert ok.status_code == 200
    assert ok.json()["display_name"] == "NeonNova"
    assert bad.status_code == 400
    assert "timezone" in bad.json()["error"]["fields"]
    user.refresh_from_db()
    assert user.timezone == "Europe/Berlin"


def test_session_login_works_for_the_browser(client, user):
    client.force_login(user)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200


def test_unknown_api_url_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "Not found."}}


def test_openapi_schema_validates():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)

    schema = out.getvalue()
    assert "/api/v1/me/" in schema
    assert "/api/v1/auth/token/refresh/" in schema


def test_api_docs_page_serves_without_a_cdn(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content
