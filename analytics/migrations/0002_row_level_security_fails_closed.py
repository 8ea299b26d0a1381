from django.db import migrations

from aurastream import rls

TABLES = (
    "analytics_pageview", "analytics_productevent", "analytics_dailytraffic", "analytics_dailyevent",
    "analytics_journey", "analytics_activeday",
)  # fmt: skip


class Migration(migrations.Migration):
    """Analytics are system work only: the roll-up task and staff in the admin. No creator,
    and no query acting for nobody, sees a row."""

    dependencies = [
        ("accounts", "0005_row_level_security_fails_closed"),
        ("analytics", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(*rls.enable(*(rls.SystemOnly(table) for table in TABLES)), elidable=False),
    ]
