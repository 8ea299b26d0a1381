"""A schema-driven fuzz of the whole API (schemathesis): every operation, with generated valid
and invalid input, should answer no 5xx, only status codes its schema documents, with the
content type and body shape it documents. Bounded (``FUZZ_EXAMPLES`` per operation, 12 by
default). Opt-in (about two minutes); .ci/run turns it on:

    API_FUZZ=1 .venv/bin/pytest tests/fuzz -p no:cacheprovider
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aurastream.api.tokens import BoundRefreshToken
from tests.factories import PlanGrantFactory, UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# What the API promises: no server error, and only the status codes, content types and bodies
# its schema documents.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
pytestmark = pytest.mark.skipif(
    not os.environ.get("API_FUZZ"), reason="opt-in: API_FUZZ=1 (see the docstring; .ci/run sets it)"
)


def _schema() -> dict:
    """The schema the API serves (drf-spectacular), generated without a request or database."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))


APP = get_wsgi_application()
schema = schemathesis.openapi.from_dict(_schema())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request's end must not close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db) -> dict[str, str]:
    user = UserFactory()
    PlanGrantFactory(user=user, plan="studio", starts_at="2026-01-01T00:00Z")
    # The WSGI transport hands the body back as sent, without undoing gzip as a browser or an
    # HTTP client would: ask for it plain (compression has its own tests).
    return {
        "Authorization": f"Bearer {BoundRefreshToken.for_user(user).access_token}",
        "Accept-Encoding": "identity",
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_what_its_schema_says(case, bearer, fake_stripe):
    """With payments set up (against the local fake Stripe), as in production."""
    case.call_and_validate(app=APP, headers=bearer, checks=CHECKS)
