from django.db import migrations


class Migration(migrations.Migration):
    """The function row-level security policies key on (PostgreSQL only)."""

    dependencies = [
        ("accounts", "0002_site_name"),
    ]

    # Superseded by 0005_row_level_security_fails_closed (a signed acting user instead of a
    # plain setting); a database that ran this before keeps its history, a new one starts there.
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
