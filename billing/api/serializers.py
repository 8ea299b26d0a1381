from __future__ import annotations

from typing import Any

from rest_framework import serializers


class BillingPlanSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    monthly_price = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="US dollars.")


class BillingPeriodSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField(help_text="Exclusive: the day usage resets.")


class GenerationUsageSerializer(serializers.Serializer[Any]):
    used = serializers.IntegerField(help_text="Reserved and charged this period.")
    limit = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    remaining = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")


class CoachUsageSerializer(serializers.Serializer[Any]):
    used = serializers.IntegerField(help_text="Sessions ever started.")
    limit = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    grounding = serializers.BooleanField(help_text="Replies may draw on a web search.")


class BillingSerializer(serializers.Serializer[Any]):
    plan = BillingPlanSerializer()
    comped = serializers.BooleanField(help_text="The plan is a staff grant.")
    comped_until = serializers.DateTimeField(
        allow_null=True, help_text="When the staff grant ends; null: no end date, or not comped."
    )
    period = BillingPeriodSerializer()
    generations = GenerationUsageSerializer()
    coach_sessions = CoachUsageSerializer(source="coach")
    brand_kit_limit = serializers.IntegerField(source="plan.brand_kits", allow_null=True)
    retention_days = serializers.IntegerField(
        source="plan.asset_retention_days", allow_null=True, help_text="null: kept while on the plan."
    )
    priority_queue = serializers.BooleanField(source="plan.priority_queue")


class CheckoutRequestSerializer(serializers.Serializer[Any]):
    plan = serializers.ChoiceField(choices=[("pro", "Pro"), ("studio", "Studio")])


class RedirectSerializer(serializers.Serializer[Any]):
    url = serializers.URLField(help_text="Send the creator here (a Stripe page).")
