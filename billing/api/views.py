"""The creator's plan and usage, and the hand-offs to Stripe Checkout and the Customer Portal."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.types import request_user
from billing import payments, selectors, services
from billing.payments import PaymentsError
from billing.plans import PLANS

from .serializers import BillingSerializer, CheckoutRequestSerializer, RedirectSerializer


class PaymentsUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "billing_not_configured"


class PaymentProviderError(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "payment_provider_error"


class NoBillingAccount(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "no_billing_account"


def _raise(error: PaymentsError, *, missing_account: bool = False) -> None:
    if not payments.payments_configured():
        raise PaymentsUnavailable(error.message)
    if missing_account:
        raise NoBillingAccount(error.message)
    raise PaymentProviderError(error.message)


@extend_schema(responses=BillingSerializer)
@api_view(["GET"])
def billing(request: Request) -> Response:
    """The creator's plan, this billing period and what they have used of it."""
    overview = selectors.billing_overview(user=request_user(request))
    return Response(BillingSerializer(overview).data)


@extend_schema(
    request=CheckoutRequestSerializer,
    responses={
        200: RedirectSerializer,
        503: OpenApiResponse(description="Billing is not configured on this server."),
    },
)
@api_view(["POST"])
def checkout(request: Request) -> Response:
    """A Stripe Checkout URL for the plan (or the Customer Portal's, for a creator who already
    subscribes and is changing plan)."""
    user = request_user(request)
    serializer = CheckoutRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    plan = PLANS[serializer.validated_data["plan"]]
    try:
        url = services.upgrade_start(user=user, plan=plan, absolute_url=request.build_absolute_uri)
    except PaymentsError as error:
        _raise(error)
    return Response({"url": url})


@extend_schema(
    request=None,
    responses={
        200: RedirectSerializer,
        400: OpenApiResponse(description="The creator has no billing account yet."),
        503: OpenApiResponse(description="Billing is not configured on this server."),
    },
)
@api_view(["POST"])
def portal(request: Request) -> Response:
    """A Stripe Customer Portal URL: payment methods, plan changes, cancellation, invoices."""
    user = request_user(request)
    try:
        url = payments.portal_start(
            user=user, return_url=request.build_absolute_uri(reverse("billing:billing"))
        )
    except PaymentsError as error:
        _raise(error, missing_account=payments.customer_existing(user) is None)
    return Response({"url": url})
