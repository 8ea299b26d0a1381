from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class AuraStreamConfig(AppConfig):
    name = "aurastream"
    verbose_name = "AuraStream"

    def ready(self) -> None:
        # The embedded default keeps its state in folders that must exist before the SQLite
        # database, the filesystem broker or local media are first touched.
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                Path(str(options[key])).mkdir(parents=True, exist_ok=True)
        if str(settings.STORAGES["default"]["BACKEND"]).endswith("FileSystemStorage"):
            Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        # Names are saved without text-direction controls (aurastream.text.NAME_FIELDS).
        from django.apps import apps
        from django.db.models.signals import pre_save

        from .text import NAME_FIELDS, strip_name_controls

        for label in NAME_FIELDS:
            pre_save.connect(strip_name_controls, sender=apps.get_model(label), dispatch_uid=f"names:{label}")
