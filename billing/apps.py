from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from . import webhooks  # noqa: F401 - connects the Stripe handlers to dj-stripe's signals
