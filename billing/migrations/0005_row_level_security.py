from django.db import migrations


class Migration(migrations.Migration):
    """A creator's usage, plan grants and payment issues are theirs only (webhooks and staff
    work as the system)."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("billing", "0004_usage_kind_refine"),
    ]

    # Superseded by 0006_row_level_security_fails_closed, which protects these tables so
    # that they fail closed; a database that ran this keeps its history, a new one starts there.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
