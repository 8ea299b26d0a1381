from django.db import migrations

from aurastream import rls
from workspaces.backfill import into_workspaces


class Migration(migrations.Migration):
    """Work belongs to a workspace: what exists goes to its maker's personal workspace, and
    row-level security follows membership and role (fails closed as before)."""

    dependencies = [
        ("generation", "0008_template_prompts_stay_on_the_server"),
        ("workspaces", "0003_row_level_security_fails_closed"),
    ]

    operations = [
        *into_workspaces("generation", "generationjob", "user"),
        migrations.RunPython(
            *rls.enable(
                rls.InWorkspace("generation_generationjob"),
            ),
            elidable=False,
        ),
    ]
