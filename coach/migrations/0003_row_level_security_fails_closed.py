from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Coach sessions and their messages are readable and writable by their creator only. Fails closed: a query acting for nobody sees none of these rows."""

    dependencies = [
        ("accounts", "0005_row_level_security_fails_closed"),
        ("coach", "0002_row_level_security"),
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
