from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workspaces"
    verbose_name = "Workspaces"

    def ready(self) -> None:
        from . import signals  # noqa: F401  # registers the receivers
