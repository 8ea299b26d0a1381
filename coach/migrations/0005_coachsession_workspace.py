from django.db import migrations

from aurastream import rls
from workspaces.backfill import into_workspaces


class Migration(migrations.Migration):
    """Work belongs to a workspace: what exists goes to its maker's personal workspace, and
    row-level security follows membership and role (fails closed as before)."""

    dependencies = [
        ("coach", "0004_coach_session_undo"),
        ("workspaces", "0003_row_level_security_fails_closed"),
    ]

    operations = [
        *into_workspaces("coach", "coachsession", "user"),
        migrations.RunPython(
            *rls.enable(
                rls.InWorkspace("coach_coachsession"),
                rls.ThroughWorkspace("coach_coachmessage", "session_id", "coach_coachsession"),
            ),
            elidable=False,
        ),
    ]
