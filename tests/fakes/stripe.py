"""Stripe's API played by a real HTTP server on 127.0.0.1, for billing tests.

It speaks the wire format of https://docs.stripe.com/api: form-encoded request bodies with
bracketed keys (``line_items[0][price]``), a bearer secret key, JSON objects carrying
``id``/``object``/``livemode``, and errors in Stripe's envelope
``{"error": {"type", "code", "message", "param"}}`` with its status codes. Objects have the
shapes of the API version the SDK pins (2025-03-31 and later: a subscription's period lives on
its items, an invoice names its subscription under ``parent.subscription_details``).

How the code reaches it: ``stripe.api_base``, the SDK's documented switch for another API
host (dj-stripe's ``STRIPE_API_HOST``). Everything else, from the SDK's request encoding to
dj-stripe's syncing and webhook verification, runs as in production.

Tests put objects in with the builders (``customer``, ``subscription``, ``invoice``…), change
them as Stripe would (``update``), make events with ``event`` and sign them with ``sign``.
Every request is recorded in ``calls``, parsed, so tests can assert what was sent.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

from tests.fakes.server import FakeHandler, FakeServer

SECRET_KEY = "sk_test_AuraStreamFakeKey0123456789"
ACCOUNT_ID = "acct_1AuraStreamFake"
DAY = 86_400


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, str]  # form fields (POST) or query (GET), keys as the SDK sent them
    authorization: str


def _nested(params: dict[str, str]) -> dict[str, Any]:
    """``a[b][0][c]=x`` form keys as nested dicts (lists keyed by index strings)."""
    root: dict[str, Any] = {}
    for key, value in params.items():
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


class FakeStripe(FakeServer):
    """Stripe's objects and the requests made to it; `running()` serves them on 127.0.0.1."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.put(
            {
                "id": ACCOUNT_ID,
                "object": "account",
                "business_profile": {"name": "AuraStream"},
                "settings": {"dashboard": {"display_name": "AuraStream"}},
                "email": "billing@aurastream.test",
                "country": "US",
                "default_currency": "usd",
                "charges_enabled": True,
                "payouts_enabled": True,
                "details_submitted": True,
                "type": "standard",
                "metadata": {},
                "created": int(time.time()) - 100 * DAY,
            }
        )

    @property
    def url(self) -> str:
        return self.base_url

    # --- Store ----------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):04d}{secrets.token_hex(4)}"

    def put(self, obj: dict[str, Any]) -> dict[str, Any]:
        obj.setdefault("livemode", False)
        obj.setdefault("metadata", {})
        obj.setdefault("created", int(time.time()))
        with self._lock:
            self.objects[obj["id"]] = obj
        return obj

    def update(self, object_id: str, **changes: Any) -> dict[str, Any]:
        with self._lock:
            self.objects[object_id].update(changes)
            return self.objects[object_id]

    def calls_to(self, method: str, path: str) -> list[Call]:
        return [call for call in self.calls if call.method == method and call.path == path]

    # --- Builders (objects as Stripe returns them) -----------------------------------------
    def customer(
        self, *, email: str = "creator@example.com", subscriber_pk: int | None = None
    ) -> dict[str, Any]:
        metadata = {"djstripe_subscriber": str(subscriber_pk)} if subscriber_pk else {}
        return self.put(
            {
                "id": self.new_id("cus"),
                "object": "customer",
                "email": email,
                "name": None,
                "balance": 0,
                "currency": None,
                "delinquent": False,
                "description": None,
                "discount": None,
                "invoice_prefix": secrets.token_hex(4).upper(),
                "invoice_settings": {"default_payment_method": None, "footer": None},
                "metadata": metadata,
                "preferred_locales": [],
                "tax_exempt": "none",
            }
        )

    def price(self, price_id: str, *, amount: int, name: str) -> dict[str, Any]:
        product = self.put(
            {"id": self.new_id("prod"), "object": "product", "name": name, "active": True, "type": "service"}
        )
        return self.put(
            {
                "id": price_id,
                "object": "price",
                "active": True,
                "billing_scheme": "per_unit",
                "currency": "usd",
                "product": product["id"],
                "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
                "type": "recurring",
                "unit_amount": amount,
                "unit_amount_decimal": str(amount),
                "nickname": name,
                "lookup_key": None,
                "tiers_mode": None,
            }
        )

    def subscription(
        self,
        *,
        customer: str,
        price: str,
        status: str = "active",
        period_start: int | None = None,
        period_days: int = 30,
        cancel_at_period_end: bool = False,
    ) -> dict[str, Any]:
        start = period_start if period_start is not None else int(time.time()) - DAY
        end = start + period_days * DAY
        subscription_id = self.new_id("sub")
        price_object = self.objects.get(price, {"id": price, "object": "price"})
        return self.put(
            {
                "id": subscription_id,
                "object": "subscription",
                "customer": customer,
                "status": status,
                "cancel_at_period_end": cancel_at_period_end,
                "cancel_at": end if cancel_at_period_end else None,
                "canceled_at": None,
                "ended_at": None,
                "billing_cycle_anchor": start,
                "collection_method": "charge_automatically",
                "currency": "usd",
                "start_date": start,
                "latest_invoice": None,
                "default_payment_method": None,
                "discounts": [],
                "trial_start": None,
                "trial_end": None,
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": self.new_id("si"),
                            "object": "subscription_item",
                            "subscription": subscription_id,
                            "price": price_object,
                            "quantity": 1,
                            "current_period_start": start,
                            "current_period_end": end,
                        }
                    ],
                    "has_more": False,
                    "total_count": 1,
                    "url": f"/v1/subscription_items?subscription={subscription_id}",
                },
            }
        )

    def subscription_period(self, subscription_id: str) -> tuple[int, int]:
        item = self.objects[subscription_id]["items"]["data"][0]
        return item["current_period_start"], item["current_period_end"]

    def invoice(
        self, *, customer: str, subscription: str, status: str = "open", amount_due: int = 999
    ) -> dict[str, Any]:
        return self.put(
            {
                "id": self.new_id("in"),
                "object": "invoice",
                "customer": customer,
                "status": status,
                "amount_due": amount_due,
                "amount_paid": amount_due if status == "paid" else 0,
                "amount_remaining": 0 if status == "paid" else amount_due,
                "currency": "usd",
                "attempt_count": 1,
                "attempted": True,
                "billing_reason": "subscription_cycle",
                "collection_method": "charge_automatically",
                "parent": {
                    "type": "subscription_details",
                    "subscription_details": {"subscription": subscription, "metadata": {}},
                },
                "lines": {"object": "list", "data": [], "has_more": False, "url": "/v1/invoices/lines"},
                "discounts": [],
                "total": amount_due,
                "subtotal": amount_due,
            }
        )

    def checkout_completed(self, session_id: str, *, subscription: str) -> dict[str, Any]:
        """What Stripe does when the creator pays: the session completes with a subscription."""
        return self.update(session_id, status="complete", payment_status="paid", subscription=subscription)

    # --- Events and signatures -------------------------------------------------------------
    def event(self, event_type: str, obj: dict[str, Any], *, created: int | None = None) -> dict[str, Any]:
        return {
            "id": self.new_id("evt"),
            "object": "event",
            "api_version": stripe.api_version,
            "created": created if created is not None else int(time.time()),
            "data": {"object": json.loads(json.dumps(obj))},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }

    @staticmethod
    def sign(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
        """A ``Stripe-Signature`` header, computed as Stripe documents (HMAC-SHA256 of
        ``"{timestamp}.{payload}"`` with the endpoint's signing secret)."""
        timestamp = timestamp if timestamp is not None else int(time.time())
        signed = f"{timestamp}.".encode() + payload
        digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={digest}"

    # --- HTTP -----------------------------------------------------------------------------
    def handler(self) -> type[FakeHandler[FakeStripe]]:
        fake = self

        class Handler(FakeHandler[FakeStripe]):
            def _params(self) -> dict[str, str]:
                query = urlsplit(self.path).query
                body = self.body().decode()
                return dict(parse_qsl(query, keep_blank_values=True)) | dict(
                    parse_qsl(body, keep_blank_values=True)
                )

            def _answer(self, status: int, body: dict[str, Any] | str) -> None:
                if isinstance(body, str):
                    data, kind = body.encode(), "text/html; charset=utf-8"
                else:
                    data, kind = json.dumps(body).encode(), "application/json"
                self.reply(status, data, {"Content-Type": kind, "Request-Id": f"req_{secrets.token_hex(6)}"})

            def _error(self, status: int, message: str, *, code: str = "", param: str = "") -> None:
                error_type = "invalid_request_error" if status < 500 else "api_error"
                self._answer(
                    status, {"error": {"type": error_type, "code": code, "message": message, "param": param}}
                )

            def _route(self, method: str) -> None:
                path = urlsplit(self.path).path
                params = self._params()
                if path.startswith("/pay/") or path.startswith("/portal/"):
                    # The hosted pages a browser is sent to.
                    title = "Stripe Checkout" if path.startswith("/pay/") else "Stripe billing portal"
                    self._answer(200, f"<!doctype html><title>{title}</title><h1>{title}</h1>")
                    return
                authorization = self.headers.get("Authorization", "")
                fake.record(Call(method, path, params, authorization))
                if authorization != f"Bearer {SECRET_KEY}":
                    self._answer(
                        401,
                        {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided."}},
                    )
                    return
                parts = [part for part in path.split("/") if part]
                if parts[:1] != ["v1"]:
                    self._error(404, f"Unrecognized request URL ({method}: {path}).")
                    return
                resource = "/".join(parts[1:])
                handler = getattr(self, f"_{method.lower()}", None)
                if handler is None:
                    self._error(405, "Method not allowed.")
                    return
                handler(resource, params)

            def _get(self, resource: str, params: dict[str, str]) -> None:
                if resource == "account":
                    self._answer(200, fake.objects[ACCOUNT_ID])
                    return
                if resource.endswith("/features"):  # a product's features: none here
                    self._answer(
                        200, {"object": "list", "data": [], "has_more": False, "url": f"/v1/{resource}"}
                    )
                    return
                object_id = resource.rsplit("/", 1)[-1]
                obj = fake.objects.get(object_id)
                if obj is None:
                    self._error(404, f"No such object: '{object_id}'", code="resource_missing", param="id")
                    return
                self._answer(200, obj)

            def _post(self, resource: str, params: dict[str, str]) -> None:
                data = _nested(params)
                if resource == "customers":
                    customer = fake.customer(email=data.get("email", ""))
                    customer["metadata"] = data.get("metadata", {})
                    customer["name"] = data.get("name") or None
                    self._answer(200, customer)
                elif resource == "checkout/sessions":
                    self._answer(200, self._checkout_session(data))
                elif resource == "billing_portal/sessions":
                    if data.get("customer") not in fake.objects:
                        self._error(400, f"No such customer: '{data.get('customer')}'", param="customer")
                        return
                    session_id = fake.new_id("bps")
                    self._answer(
                        200,
                        fake.put(
                            {
                                "id": session_id,
                                "object": "billing_portal.session",
                                "customer": data["customer"],
                                "return_url": data.get("return_url"),
                                "url": f"{fake.url}/portal/{session_id}",
                            }
                        ),
                    )
                elif resource == "webhook_endpoints":
                    endpoint_id = fake.new_id("we")
                    events = [value for _key, value in sorted(data.get("enabled_events", {}).items())]
                    self._answer(
                        200,
                        fake.put(
                            {
                                "id": endpoint_id,
                                "object": "webhook_endpoint",
                                "url": data.get("url"),
                                "enabled_events": events,
                                "api_version": data.get("api_version"),
                                "metadata": data.get("metadata", {}),
                                "secret": f"whsec_{secrets.token_hex(16)}",
                                "status": "enabled",
                                "application": None,
                                "description": None,
                            }
                        ),
                    )
                else:
                    self._error(404, f"Unrecognized request URL (POST: /v1/{resource}).")

            def _checkout_session(self, data: dict[str, Any]) -> dict[str, Any]:
                session_id = fake.new_id("cs_test")
                return fake.put(
                    {
                        "id": session_id,
                        "object": "checkout.session",
                        "mode": data.get("mode"),
                        "customer": data.get("customer"),
                        "client_reference_id": data.get("client_reference_id"),
                        "allow_promotion_codes": data.get("allow_promotion_codes") == "true",
                        "success_url": data.get("success_url"),
                        "cancel_url": data.get("cancel_url"),
                        "metadata": data.get("metadata", {}),
                        "status": "open",
                        "payment_status": "unpaid",
                        "subscription": None,
                        "payment_intent": None,
                        "setup_intent": None,
                        "currency": "usd",
                        "url": f"{fake.url}/pay/{session_id}",
                    }
                )

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_DELETE(self) -> None:
                self._route("DELETE")

        return Handler
