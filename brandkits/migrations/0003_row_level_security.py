from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Brand kits, their logos, fonts and images are readable and writable by their owner only."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("brandkits", "0002_creator_media"),
    ]

    operations = [
        migrations.RunPython(
            *rls.enable(
                rls.Owned("brandkits_brandkit", "owner_id"),
                rls.Through("brandkits_brandlogo", "kit_id", "brandkits_brandkit", "owner_id"),
                rls.Owned("brandkits_brandfont", "owner_id"),
                rls.Owned("brandkits_creatormedia", "owner_id"),
            ),
            elidable=False,
        ),
    ]
