"""Forget a creator's cached standing (``standing_cache``) whenever a row it is read from is
written: their plan grants and payment issues, and the Stripe subscriptions and customer that
dj-stripe keeps in step with Stripe."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from djstripe.models import Customer, Subscription

from aurastream.db import system_work

from . import standing_cache
from .models import PaymentIssue, PlanGrant


@receiver([post_save, post_delete], sender=PlanGrant)
@receiver([post_save, post_delete], sender=PaymentIssue)
def creator_row_written(sender: type, instance: PlanGrant | PaymentIssue, **kwargs: Any) -> None:
    standing_cache.forget([instance.user_id])


@receiver([post_save, post_delete], sender=Customer)
def customer_written(sender: type, instance: Customer, **kwargs: Any) -> None:
    standing_cache.forget([instance.subscriber_id])


@receiver([post_save, post_delete], sender=Subscription)
def subscription_written(sender: type, instance: Subscription, **kwargs: Any) -> None:
    if not instance.customer_id:
        return
    # The subscriber is read as the system: a webhook's work may act for nobody in particular.
    with system_work():
        subscribers = Customer.objects.filter(id=instance.customer_id).values_list("subscriber_id", flat=True)
        standing_cache.forget(list(subscribers))
