from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """An asset's publications are its owner's only, through the asset. Fails closed."""

    dependencies = [("library", "0008_asset_publications")]

    operations = [
        migrations.RunPython(
            *rls.enable(rls.Through("library_publication", "asset_id", "library_asset", "owner_id")),
            elidable=False,
        ),
    ]
