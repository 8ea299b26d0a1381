from django.db import migrations


class Migration(migrations.Migration):
    """Brand kits, their logos, fonts and images are readable and writable by their owner only."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("brandkits", "0002_creator_media"),
    ]

    # Superseded by 0004_row_level_security_fails_closed, which protects these tables so
    # that they fail closed; a database that ran this keeps its history, a new one starts there.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
