"""Row-level security fails closed: SQL run as the app's database role that names nobody, or
names somebody without the app's signature, sees no private row and can't switch the policies
off; every table holding a user's data is covered (or exempt with a written reason)."""

from __future__ import annotations

import psycopg
import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from psycopg import sql

from aurastream.api.tokens import BoundRefreshToken
from aurastream.db import acting_user, marker
from brandkits.models import BrandKit
from library import services
from tests.factories import (
    BrandKitFactory,
    CoachMessageFactory,
    CoachSessionFactory,
    UsageEntryFactory,
    make_assets,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)

# Tables that hold a user's data without a foreign key to the account, and so must be named.
NAMED = {
    "django_session", "djstripe_event", "djstripe_webhookeventtrigger", "djstripe_webhookendpoint",
    "djstripe_apikey", "coach_coachmessage", "brandkits_brandlogo", "library_rendition", "library_asset_tags",
    "socialaccount_socialtoken", "token_blacklist_blacklistedtoken", "djstripe_subscriptionitem",
}  # fmt: skip

# Tables with a user foreign key that row-level security leaves alone, and why.
EXEMPT: dict[str, str] = {
    # Row-level security is on with policies, but not forced: app_workspaces(), which every
    # workspace policy calls, reads memberships as the owner role without recursing through
    # them. The app's role is bound like everywhere else (tests/workspaces/test_row_level_security.py).
    "workspaces_membership": "read by the workspace policies' own function as the owner role",
}

# Rows anyone may read: publicly shared assets and their files (not private).
PUBLIC = {"library_asset", "library_rendition"}


def app_role_connection() -> psycopg.Connection:
    """A connection of its own as the role the app (and this suite) connects as."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, dbname=db["NAME"], user=db["USER"],
        password=db["PASSWORD"] or None, autocommit=True,
    )  # fmt: skip


def user_tables() -> set[str]:
    """Every table with a foreign key to the account or to its Stripe customer, and the named."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT conrelid::regclass::text FROM pg_constraint
            WHERE contype = 'f' AND confrelid IN ('accounts_user'::regclass, 'djstripe_customer'::regclass)
            """
        )
        return {row[0] for row in cursor.fetchall()} | NAMED | {"accounts_user", "djstripe_customer"}


def protected_tables() -> set[str]:
    """Tables whose row-level security is on, forced even for their owner, with a policy."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c
            WHERE c.relrowsecurity AND c.relforcerowsecurity
              AND EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid)
            """
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_table_with_a_users_data_has_a_policy_or_a_written_exemption():
    tables = user_tables()

    unprotected = tables - protected_tables() - EXEMPT.keys()

    assert len(tables) > 40
    assert unprotected == set()


@pytest.mark.django_db
def test_the_app_role_owns_no_table_and_cannot_bypass_row_level_security():
    with app_role_connection() as raw:
        owned = raw.execute(
            "SELECT count(*) FROM pg_class"
            " WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        ).fetchone()
        role = raw.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()

    assert owned == (0,)
    assert role == (False, False)


@pytest.fixture
def everyones_data(transactional_db, client, user, other_user) -> dict[str, object]:
    """Committed rows of every kind for two creators, as the app's own code writes them."""
    make_assets(user, 2, title="Mine")
    theirs = make_assets(other_user, 2, title="Theirs")
    shared = services.asset_share(asset=theirs[0])
    BrandKitFactory(owner=user, name="Cozy")
    CoachMessageFactory(session=CoachSessionFactory(user=user), content="my secret plan")
    UsageEntryFactory(user=user)
    client.force_login(user)  # a session row
    BoundRefreshToken.for_user(user)  # an outstanding refresh token
    app = SocialApp.objects.create(provider="twitch", name="Twitch", client_id="id", secret="s")
    account = SocialAccount.objects.create(user=user, provider="twitch", uid="42")
    SocialToken.objects.create(app=app, account=account, token="oauth-token")
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(BrandKit),
        object_repr="Cozy",
        action_flag=ADDITION,
    )
    return {"shared": shared}


def counts(raw: psycopg.Connection, tables: set[str]) -> dict[str, int]:
    return {
        table: raw.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
        for table in sorted(tables)
    }


def test_raw_sql_as_the_app_role_naming_nobody_sees_no_private_row(everyones_data):
    tables = user_tables() - EXEMPT.keys()
    with acting_user(None):
        everything = {table: n for table, n in counts_django(tables).items() if n}
    with app_role_connection() as raw:
        seen = {table: n for table, n in counts(raw, tables).items() if n}
        shared_assets = raw.execute("SELECT id FROM library_asset").fetchall()

    # Not vacuous: the system sees rows of every kind the fixture wrote.
    assert {
        "accounts_user", "account_emailaddress", "django_session", "token_blacklist_outstandingtoken",
        "library_asset", "brandkits_brandkit", "coach_coachmessage", "billing_usageentry",
        "socialaccount_socialtoken", "django_admin_log",
    } <= everything.keys()  # fmt: skip
    # Only what is shared publicly: one asset and its three files.
    assert seen == {"library_asset": 1, "library_rendition": 3}
    assert shared_assets == [(everyones_data["shared"].pk,)]


def counts_django(tables: set[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - quoted table names
            result[table] = cursor.fetchone()[0]
        return result


def test_naming_a_user_without_the_apps_signature_changes_nothing(everyones_data, user):
    with app_role_connection() as raw, raw.transaction():
        transaction_id = raw.execute("SELECT txid_current()").fetchone()[0]
        attempts = [
            str(user.pk),  # the old, unsigned form
            f"{user.pk}:{transaction_id}:{'0' * 64}",  # a made-up signature
            "system",
            f"system:{transaction_id}:{'f' * 64}",
            marker(user.pk, transaction_id + 1),  # signed, but for another transaction
            marker(None, transaction_id - 1),
            marker(user.pk, transaction_id) + ":",  # the app's own, with anything around it
            " " + marker(user.pk, transaction_id),
            # the system's signature for this transaction, under the creator's name
            f"{user.pk}:{transaction_id}:{marker(None, transaction_id).rsplit(':', 1)[1]}",
            f"0{marker(user.pk, transaction_id)}",
        ]
        seen = []
        for attempt in attempts:
            raw.execute("SELECT set_config('app.user_id', %s, true)", [attempt])
            seen.append(
                raw.execute(
                    "SELECT app_acting_user(), app_system(), (SELECT count(*) FROM accounts_user),"
                    " (SELECT count(*) FROM brandkits_brandkit), (SELECT count(*) FROM django_session)"
                ).fetchone()
            )

    assert seen == [(None, False, 0, 0, 0)] * len(attempts)


def test_the_apps_own_marker_for_this_transaction_is_believed(everyones_data, user):
    """The control for the test above: the same connection, signed as the app signs."""
    with app_role_connection() as raw, raw.transaction():
        transaction_id = raw.execute("SELECT txid_current()").fetchone()[0]
        raw.execute("SELECT set_config('app.user_id', %s, true)", [marker(user.pk, transaction_id)])
        mine = raw.execute("SELECT app_acting_user(), count(*) FROM brandkits_brandkit").fetchone()

    assert mine == (user.pk, 1)


def test_the_app_role_cannot_switch_policies_off_or_read_the_key(everyones_data):
    refused = []
    statements = [
        "ALTER TABLE library_asset DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE library_asset NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY acting_user_rows ON accounts_user",
        "CREATE POLICY everything ON accounts_user USING (true)",
        "SELECT key FROM app_private.rls_key",
        "CREATE OR REPLACE FUNCTION app_system() RETURNS boolean LANGUAGE sql AS 'SELECT true'",
    ]
    with app_role_connection() as raw:
        for statement in statements:
            try:
                raw.execute(statement)
            except psycopg.errors.InsufficientPrivilege:
                refused.append(statement)
        still = raw.execute("SELECT count(*) FROM accounts_user").fetchone()

    assert refused == statements
    assert still == (0,)


def test_a_temporary_table_cannot_stand_in_for_the_catalogue(everyones_data):
    """The verifying functions run as the owner with a pinned search path: a temporary
    ``pg_database`` naming the app role as the database's owner fools nothing."""
    with app_role_connection() as raw:
        raw.execute(
            "CREATE TEMPORARY TABLE pg_database AS SELECT current_database()::name AS datname,"
            " (SELECT oid FROM pg_roles WHERE rolname = current_user) AS datdba"
        )
        raw.execute("CREATE TEMPORARY TABLE rls_key (id smallint, key bytea)")
        seen = raw.execute("SELECT app_system(), (SELECT count(*) FROM accounts_user)").fetchone()

    assert seen == (False, 0)


def test_a_copied_marker_is_worthless_in_another_transaction(everyones_data, user):
    """pg_stat_activity shows the app role its own sessions' queries, markers included: one
    lifted from there names a transaction that is not the thief's."""
    with app_role_connection() as owner_side, owner_side.transaction():
        transaction_id = owner_side.execute("SELECT txid_current()").fetchone()[0]
        signed = marker(user.pk, transaction_id)
        owner_side.execute("SELECT set_config('app.user_id', %s, true)", [signed])
        with app_role_connection() as thief, thief.transaction():
            thief.execute("SELECT txid_current()")
            thief.execute("SELECT set_config('app.user_id', %s, true)", [signed])
            stolen = thief.execute("SELECT count(*) FROM brandkits_brandkit").fetchone()

    assert stolen == (0,)


@pytest.mark.django_db
def test_migrate_gave_the_database_the_apps_signing_key():
    assert settings.SECRET_KEY
    with acting_user(7), connection.cursor() as cursor:
        cursor.execute("SELECT app_acting_user()")
        assert cursor.fetchone() == (7,)


@pytest.mark.django_db
def test_a_creator_cannot_give_themselves_rights_or_a_plan(user):
    """Their own account row is theirs to change, but not whether it is staff; plan grants and
    group memberships are theirs to read, not to write."""
    from django.contrib.auth.models import Group
    from django.db import DatabaseError, transaction

    from billing.models import PlanGrant

    admins = Group.objects.create(name="admins")
    attempts = [
        lambda: type(user).objects.filter(pk=user.pk).update(is_staff=True),
        lambda: type(user).objects.filter(pk=user.pk).update(is_superuser=True),
        lambda: PlanGrant.objects.create(user=user, plan="studio", starts_at="2026-01-01T00:00Z"),
        lambda: user.groups.add(admins),
    ]
    refused = 0
    for attempt in attempts:
        with acting_user(user.pk):
            try:
                with transaction.atomic():
                    attempt()
            except DatabaseError:
                refused += 1
    with acting_user(user.pk):
        own_name_change = type(user).objects.filter(pk=user.pk).update(display_name="Cozy Cat")

    user.refresh_from_db()
    assert refused == len(attempts)
    assert (user.is_staff, user.is_superuser, user.groups.count()) == (False, False, 0)
    assert not PlanGrant.objects.filter(user=user).exists()
    assert own_name_change == 1


@pytest.mark.django_db
def test_the_app_role_cannot_create_objects_in_the_public_schema():
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_schema_privilege(current_user, 'public', 'CREATE')")
        assert cursor.fetchone() == (False,)


@pytest.mark.django_db
def test_a_creator_with_tokens_and_a_stripe_customer_can_delete_their_account(user):
    from djstripe.models import Customer

    from accounts import services as accounts

    BoundRefreshToken.for_user(user)
    Customer.objects.create(id="cus_test_delete", subscriber=user, livemode=False)

    with acting_user(user.pk):
        accounts.user_delete(user=user)

    assert not type(user).objects.filter(pk=user.pk).exists()
    assert Customer.objects.get(id="cus_test_delete").subscriber is None
