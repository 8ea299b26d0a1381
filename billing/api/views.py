"""The creator's plan and usage over the API (read only until Stripe checkout lands)."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from billing import selectors

from .serializers import BillingSerializer


@extend_schema(responses=BillingSerializer)
@api_view(["GET"])
def billing(request: Request) -> Response:
    """The creator's plan, this billing period and what they have used of it."""
    overview = selectors.billing_overview(user=cast(User, request.user))
    return Response(BillingSerializer(overview).data)
