from django.db import migrations


def personal_workspaces(apps, schema_editor):
    """Every account that exists already gets its personal workspace, as new ones do."""
    User = apps.get_model("accounts", "User")
    Workspace = apps.get_model("workspaces", "Workspace")
    Membership = apps.get_model("workspaces", "Membership")
    have = set(Workspace.objects.filter(kind="personal").values_list("owner_id", flat=True))
    for user_id in User.objects.exclude(pk__in=have).values_list("pk", flat=True).iterator():
        workspace = Workspace.objects.create(name="Personal", kind="personal", owner_id=user_id)
        Membership.objects.create(workspace=workspace, user_id=user_id, role="owner")


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0001_initial")]

    operations = [migrations.RunPython(personal_workspaces, migrations.RunPython.noop)]
