from django.apps import AppConfig


class BrandkitsConfig(AppConfig):
    name = "brandkits"
    verbose_name = "Brand kits"
