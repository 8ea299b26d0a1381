"""Page views keep no UTM term or content (mail tools put the subscriber's address there), and
the assets made before analytics are counted in the daily figures.

The daily ``asset_created`` figures of the days before this migration, where the roll-up has
none, are counted from the library's assets (deleted ones too: they were made), in total and by
asset type, so "assets generated" includes what creators made before launch. Today is left to
the roll-up, which recounts it from its events.
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

ASSET_CREATED = "asset_created"


def assets_counted(apps, schema_editor):
    asset_model = apps.get_model("library", "Asset")
    daily_model = apps.get_model("analytics", "DailyEvent")
    today = timezone.localdate()
    counted = set(
        daily_model._base_manager.filter(name=ASSET_CREATED).values_list("day", flat=True).distinct()
    )
    made = asset_model._base_manager.annotate(day=TruncDate("created_at")).filter(day__lt=today)
    rows = []
    for row in made.values("day").annotate(events=Count("pk"), users=Count("owner", distinct=True)):
        if row["day"] not in counted:
            rows.append(daily_model(day=row["day"], name=ASSET_CREATED, detail="", events=row["events"], users=row["users"]))
    split = made.values("day", "asset_type").annotate(events=Count("pk"), users=Count("owner", distinct=True))
    for row in split:
        if row["day"] not in counted and row["asset_type"]:
            rows.append(
                daily_model(
                    day=row["day"], name=ASSET_CREATED, detail=row["asset_type"][:60],
                    events=row["events"], users=row["users"],
                )
            )
    daily_model._base_manager.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_journeys_of_existing_creators"),
        ("library", "0007_share_link_undo"),
    ]

    operations = [
        migrations.RemoveField(model_name="pageview", name="utm_content"),
        migrations.RemoveField(model_name="pageview", name="utm_term"),
        migrations.RunPython(assets_counted, migrations.RunPython.noop, elidable=True),
    ]
