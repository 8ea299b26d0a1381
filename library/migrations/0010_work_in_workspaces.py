from django.db import migrations

from aurastream import rls
from workspaces.backfill import into_workspaces


class Migration(migrations.Migration):
    """Work belongs to a workspace: what exists goes to its maker's personal workspace, and
    row-level security follows membership and role (fails closed as before)."""

    dependencies = [
        ("library", "0009_publication_row_level_security"),
        ("workspaces", "0003_row_level_security_fails_closed"),
    ]

    operations = [
        *into_workspaces("library", "asset", "owner"),
        *into_workspaces("library", "collection", "owner"),
        *into_workspaces("library", "tag", "owner"),
        migrations.RunPython(
            *rls.enable(
                rls.InWorkspace("library_collection"),
                rls.InWorkspace("library_tag"),
                rls.InWorkspace("library_asset"),
                rls.ThroughWorkspace(
                    "library_rendition", "asset_id", "library_asset", public_parent=rls.PUBLIC_ASSET
                ),
                rls.ThroughWorkspace("library_asset_tags", "asset_id", "library_asset"),
                rls.ThroughWorkspace("library_publication", "asset_id", "library_asset"),
                public={"library_asset": rls.PUBLIC_ASSET},
            ),
            elidable=False,
        ),
    ]
