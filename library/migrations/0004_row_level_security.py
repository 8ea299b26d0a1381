from django.db import migrations


class Migration(migrations.Migration):
    """Library rows belong to their owner; a publicly shared asset and its files can be read by
    anyone."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("library", "0003_asset_versions"),
    ]

    # Superseded by 0005_row_level_security_fails_closed, which protects these tables so
    # that they fail closed; a database that ran this keeps its history, a new one starts there.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
