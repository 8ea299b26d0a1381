"""Signatures as the Standard Webhooks spec (v1) defines them, checked against its published
test vector and the spec's own Python package."""

from __future__ import annotations

import base64
import time

import pytest
from standardwebhooks.webhooks import Webhook

from webhooks import signing

# The example of the spec's README and its libraries' tests.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_published_test_vector_signs_to_its_published_signature():
    assert (
        signing.signature(VECTOR_SECRET, message_id=VECTOR_ID, timestamp=VECTOR_TIMESTAMP, body=VECTOR_BODY)
        == VECTOR_SIGNATURE
    )


def test_a_new_secret_is_whsec_and_32_random_bytes_and_verifies_with_the_reference_package():
    secret = signing.secret_new()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != signing.secret_new()
    now = int(time.time())
    headers = signing.headers([secret], message_id="msg_1", timestamp=now, body=b'{"a":1}')
    assert Webhook(secret).verify(b'{"a":1}', headers) == {"a": 1}


def test_every_live_secret_adds_its_signature_and_each_verifies_alone():
    old, new = signing.secret_new(), signing.secret_new()
    now = int(time.time())
    headers = signing.headers([new, old], message_id="msg_2", timestamp=now, body=b"{}")
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(b"{}", headers) == {}
    assert Webhook(new).verify(b"{}", headers) == {}


def test_a_secret_that_is_not_base64_is_refused():
    with pytest.raises(signing.BadSecret):
        signing.secret_key("whsec_not base64!")
