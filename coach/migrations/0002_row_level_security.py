from django.db import migrations


class Migration(migrations.Migration):
    """Coach sessions and their messages are readable and writable by their creator only."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("coach", "0001_initial"),
    ]

    # Superseded by 0003_row_level_security_fails_closed, which protects these tables so
    # that they fail closed; a database that ran this keeps its history, a new one starts there.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
