"""For the migrations that give existing work its workspace: each row goes to the personal
workspace of the account that made it."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def _field(*, null: bool) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        null=null, blank=True, on_delete=models.CASCADE, related_name="+", to="workspaces.workspace"
    )


def into_workspaces(app_label: str, model_name: str, made_by: str) -> list[Any]:
    """Operations adding ``workspace`` to ``app_label.model_name``: nullable, filled from the
    personal workspace of the account in ``made_by``, then required."""

    def fill(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        workspace = apps.get_model("workspaces", "Workspace")
        personal = workspace.objects.filter(owner_id=models.OuterRef(f"{made_by}_id"), kind="personal")
        model.objects.filter(workspace__isnull=True).update(
            workspace_id=models.Subquery(personal.values("pk")[:1])
        )
        if schema_editor.connection.vendor == "postgresql":
            # The new foreign key's checks run now, so the column can be altered next.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    return [
        migrations.AddField(model_name=model_name, name="workspace", field=_field(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(model_name=model_name, name="workspace", field=_field(null=False)),
    ]
