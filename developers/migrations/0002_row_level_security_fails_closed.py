from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """A creator's API keys are theirs; the admins and owner of the workspace a key was made
    for read it and may revoke it. Fails closed: a query acting for nobody sees none."""

    dependencies = [
        ("developers", "0001_initial"),
        ("workspaces", "0003_row_level_security_fails_closed"),  # app_workspaces()
    ]

    operations = [
        migrations.RunPython(
            *rls.enable(rls.OwnedInWorkspace("developers_apikey", "user_id", read="admin")),
            elidable=False,
        ),
    ]
