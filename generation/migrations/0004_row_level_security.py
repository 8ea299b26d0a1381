from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Generation jobs are readable and writable by their creator only."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("generation", "0003_job_refine"),
    ]

    operations = [
        migrations.RunPython(*rls.enable(rls.Owned("generation_generationjob", "user_id")), elidable=False),
    ]
