from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Brand kits, their logos, fonts and images are readable and writable by their owner only. Fails closed: a query acting for nobody sees none of these rows."""

    dependencies = [
        ("accounts", "0005_row_level_security_fails_closed"),
        ("brandkits", "0003_row_level_security"),
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
