from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "connections"
    verbose_name = "Platform connections"

    def ready(self) -> None:
        from . import signals  # noqa: F401  # registers the receivers
