from django.db import migrations

from aurastream import rls


class Migration(migrations.Migration):
    """Row-level security fails closed: the acting user is a signed marker the app's role can't
    forge, and accounts, their addresses, social logins, API tokens, sessions and the admin's
    log are protected like creators' work."""

    dependencies = [
        ("accounts", "0004_token_version"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
        ("token_blacklist", "0013_alter_blacklistedtoken_options_and_more"),
        ("sessions", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        # The earlier policies read "no acting user" as "every row": drop them before the
        # functions change, so until each app's migration rewrites them its rows are hidden
        # from everyone rather than shown to anyone.
        migrations.RunPython(
            *rls.drop_policies_where_present(
                "billing_plangrant", "billing_usageentry", "billing_paymentissue", "brandkits_brandkit",
                "brandkits_brandlogo", "brandkits_brandfont", "brandkits_creatormedia", "coach_coachsession",
                "coach_coachmessage", "generation_generationjob", "library_collection", "library_tag",
                "library_asset", "library_rendition", "library_asset_tags",
            ),  # fmt: skip
            elidable=False,
        ),
        migrations.RunPython(*rls.function(), elidable=False),
        migrations.RunPython(
            *rls.enable(
                rls.Owned("accounts_user", "id"),
                rls.OwnedReadOnly("accounts_user_groups", "user_id"),
                rls.OwnedReadOnly("accounts_user_user_permissions", "user_id"),
                rls.Owned("account_emailaddress", "user_id"),
                rls.Owned("socialaccount_socialaccount", "user_id"),
                rls.Through(
                    "socialaccount_socialtoken", "account_id", "socialaccount_socialaccount", "user_id"
                ),
                rls.Owned("token_blacklist_outstandingtoken", "user_id"),
                rls.Through(
                    "token_blacklist_blacklistedtoken",
                    "token_id",
                    "token_blacklist_outstandingtoken",
                    "user_id",
                ),
                rls.Owned("django_admin_log", "user_id"),
                # A session is looked up by its key before anyone is known: only the session
                # store (aurastream.sessions, system work) reads or writes them.
                rls.SystemOnly("django_session"),
            ),
            elidable=False,
        ),
        migrations.RunPython(*rls.account_guard(), elidable=False),
    ]
