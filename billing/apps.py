from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        # Connects the Stripe webhook handlers to dj-stripe's event signals.
        from . import webhooks  # noqa: F401
