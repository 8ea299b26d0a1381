from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from . import signals, webhooks  # noqa: F401 - connects the Stripe handlers and the cache's forgets
