from pathlib import Path
from typing import Any

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
        # After every migrate: the database's copy of the acting-user signing key, and the app
        # role's grants on new tables (aurastream.rls). Once per run: the accounts app is sent
        # post_migrate once, like every app with models.
        from django.db.models.signals import post_migrate

        post_migrate.connect(
            sync_row_level_security, sender=apps.get_app_config("accounts"), dispatch_uid="rls"
        )


def sync_row_level_security(using: str, **kwargs: Any) -> None:
    from . import rls
    from .db import signing_key

    rls.sync(using, settings.DATABASE_APP_ROLE, signing_key())
