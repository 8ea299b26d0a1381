from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """The function row-level security policies key on (PostgreSQL only)."""

    dependencies = [
        ("accounts", "0002_site_name"),
    ]

    operations = [
        migrations.RunPython(*rls.function(), elidable=False),
    ]
