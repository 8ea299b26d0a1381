from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """A workspace's webhooks are its admins': endpoints and events by their workspace,
    secrets and deliveries through their endpoint. Delivering is system work. Fails closed."""

    dependencies = [("webhooks", "0001_initial"), ("workspaces", "0003_row_level_security_fails_closed")]

    operations = [
        migrations.RunPython(
            *rls.enable(
                rls.InWorkspace("webhooks_endpoint", write="admin", read="admin"),
                rls.InWorkspace("webhooks_event", write="admin", read="admin"),
                rls.ThroughWorkspace(
                    "webhooks_endpointsecret", "endpoint_id", "webhooks_endpoint", write="admin", read="admin"
                ),
                rls.ThroughWorkspace(
                    "webhooks_delivery", "endpoint_id", "webhooks_endpoint", write="admin", read="admin"
                ),
            ),
            elidable=False,
        )
    ]
