from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Members see their workspaces and each other; admins manage members and invitations.
    Fails closed: a query acting for nobody sees none."""

    dependencies = [("workspaces", "0002_personal_workspaces")]

    operations = [migrations.RunPython(*rls.workspace_tables(), elidable=False)]
