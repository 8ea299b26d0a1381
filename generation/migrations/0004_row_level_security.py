from django.db import migrations


class Migration(migrations.Migration):
    """Generation jobs are readable and writable by their creator only."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("generation", "0003_job_refine"),
    ]

    # Superseded by 0006_row_level_security_fails_closed, which protects these tables so
    # that they fail closed; a database that ran this keeps its history, a new one starts there.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
