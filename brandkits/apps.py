from django.apps import AppConfig


class BrandkitsConfig(AppConfig):
    name = "brandkits"
    verbose_name = "Brand kits"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (registers the receivers)
