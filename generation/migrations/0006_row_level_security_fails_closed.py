from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Generation jobs are readable and writable by their creator only. Fails closed: a query acting for nobody sees none of these rows."""

    dependencies = [
        ("accounts", "0005_row_level_security_fails_closed"),
        ("generation", "0005_idempotency_fingerprint"),
    ]

    operations = [
        migrations.RunPython(*rls.enable(rls.Owned("generation_generationjob", "user_id")), elidable=False),
    ]
