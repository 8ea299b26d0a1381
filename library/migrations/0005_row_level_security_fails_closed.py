from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Library rows belong to their owner; a publicly shared asset and its files can be read by
    anyone. Fails closed: a query acting for nobody sees none of these rows."""

    dependencies = [
        ("accounts", "0005_row_level_security_fails_closed"),
        ("library", "0004_row_level_security"),
    ]

    operations = [
        migrations.RunPython(
            *rls.enable(
                rls.Owned("library_collection", "owner_id"),
                rls.Owned("library_tag", "owner_id"),
                rls.Owned("library_asset", "owner_id"),
                rls.Through(
                    "library_rendition",
                    "asset_id",
                    "library_asset",
                    "owner_id",
                    public_parent=rls.PUBLIC_ASSET,
                ),
                rls.Through("library_asset_tags", "asset_id", "library_asset", "owner_id"),
                public={"library_asset": rls.PUBLIC_ASSET},
            ),
            elidable=False,
        ),
    ]
