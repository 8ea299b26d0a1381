from django.db import migrations

from aurastream import rls
from workspaces.backfill import into_workspaces


class Migration(migrations.Migration):
    """Work belongs to a workspace: what exists goes to its maker's personal workspace, and
    row-level security follows membership and role (fails closed as before)."""

    dependencies = [
        ("brandkits", "0006_creator_media_undo"),
        ("workspaces", "0003_row_level_security_fails_closed"),
    ]

    operations = [
        *into_workspaces("brandkits", "brandkit", "owner"),
        *into_workspaces("brandkits", "brandfont", "owner"),
        *into_workspaces("brandkits", "creatormedia", "owner"),
        migrations.RunPython(
            *rls.enable(
                rls.InWorkspace("brandkits_brandkit", write="admin"),
                rls.ThroughWorkspace("brandkits_brandlogo", "kit_id", "brandkits_brandkit", write="admin"),
                rls.InWorkspace("brandkits_brandfont", write="admin"),
                rls.InWorkspace("brandkits_creatormedia"),
            ),
            elidable=False,
        ),
    ]
