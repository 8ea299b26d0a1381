from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Coach sessions and their messages are readable and writable by their creator only."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("coach", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            *rls.enable(
                rls.Owned("coach_coachsession", "user_id"),
                rls.Through("coach_coachmessage", "session_id", "coach_coachsession", "user_id"),
            ),
            elidable=False,
        ),
    ]
