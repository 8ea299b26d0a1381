from django.db import migrations

from aurastream import rls
from workspaces.backfill import into_workspaces


class Migration(migrations.Migration):
    """Work belongs to a workspace: what exists goes to its maker's personal workspace, and
    row-level security follows membership and role (fails closed as before)."""

    dependencies = [
        ("billing", "0006_row_level_security_fails_closed"),
        ("workspaces", "0003_row_level_security_fails_closed"),
    ]

    operations = [
        *into_workspaces("billing", "usageentry", "user"),
        migrations.RunPython(
            *rls.enable(
                rls.InWorkspace("billing_usageentry"),
            ),
            elidable=False,
        ),
    ]
