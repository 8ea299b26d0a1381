from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """A creator's usage, plan grants and payment issues are theirs only (webhooks and staff
    work as the system)."""

    dependencies = [
        ("accounts", "0003_row_level_security"),
        ("billing", "0004_usage_kind_refine"),
    ]

    operations = [
        migrations.RunPython(
            *rls.enable(
                rls.Owned("billing_plangrant", "user_id"),
                rls.Owned("billing_usageentry", "user_id"),
                rls.Owned("billing_paymentissue", "user_id"),
            ),
            elidable=False,
        ),
    ]
