from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """A creator's connections are theirs only. Fails closed: a query acting for nobody sees none."""

    dependencies = [("connections", "0001_initial")]

    operations = [
        migrations.RunPython(*rls.enable(rls.Owned("connections_connection", "owner_id")), elidable=False),
    ]
