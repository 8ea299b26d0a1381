"""Journeys for the creators who were here before analytics, dated from what their rows say, so
a step they had already taken (their first asset, their first kit) is never counted as a new
first after launch: the roll-up only ever moves a first time earlier.

- signed up: ``date_joined``;
- verified: ``date_joined`` too when an address is verified (allauth keeps no time of
  verification; the sign-up's is the nearest we know, and leaving it empty would count every
  earlier creator as never verified);
- first brand kit, asset, coach session: the earliest row's ``created_at`` (deleted ones too:
  they were made);
- first pack: the earliest succeeded pack job's ``finished_at``;
- paid: the earliest Stripe subscription that has been in force (active, trialing, past due,
  unpaid or ended since); cancelled: the latest time one was cancelled;
- checkout started: unknown (Stripe's sessions were never kept), left empty.

Runs as the migrations' owner role: system work under row-level security. Nothing to undo:
reversing leaves the journeys (they can't be told from the roll-up's).
"""

import datetime as dt

from django.db import migrations
from django.db.models import Min
from django.db.models.functions import Coalesce

BATCH = 1000
FIRSTS = (
    "signed_up_at", "verified_at", "first_brand_kit_at", "first_asset_at", "first_pack_at",
    "first_coach_at", "checkout_started_at", "paid_at",
)  # fmt: skip
IN_FORCE = ("active", "trialing", "past_due", "unpaid", "canceled")


def _earliest(queryset, user_field, at):
    """{user id: the earliest ``at``} over ``queryset``'s rows."""
    rows = queryset.order_by().values(user_field).annotate(first=Min(at)).values_list(user_field, "first")
    return {user_id: first for user_id, first in rows if user_id is not None}


def _subscribers(apps, connection):
    """{subscription id: user id} for the subscriptions whose customer is a creator. Read in SQL:
    where dj-stripe has no migrations (tests) its historical models carry no relations."""
    subscriptions = apps.get_model("djstripe", "Subscription")._meta.db_table
    customers = apps.get_model("djstripe", "Customer")._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, c.subscriber_id FROM {quote(subscriptions)} s "
            f"JOIN {quote(customers)} c ON c.id = s.customer_id WHERE c.subscriber_id IS NOT NULL"
        )
        return dict(cursor.fetchall())


def _stripe_times(apps, connection):
    """({user id: first subscription in force}, {user id: latest cancellation}) from dj-stripe's
    copies of the subscriptions (their status and times are in Stripe's JSON)."""
    from djstripe.settings import djstripe_settings

    subscribers = _subscribers(apps, connection)
    subscriptions = apps.get_model("djstripe", "Subscription")._base_manager
    in_mode = subscriptions.filter(livemode=djstripe_settings.STRIPE_LIVE_MODE)
    rows = in_mode.values_list("id", "created", "stripe_data")
    paid, cancelled = {}, {}
    for subscription_id, created, data in rows.iterator(chunk_size=BATCH):
        user_id, data = subscribers.get(subscription_id), data or {}
        if user_id is None:
            continue
        if data.get("status") in IN_FORCE and created is not None:
            paid[user_id] = min(created, paid.get(user_id, created))
        if data.get("canceled_at") and (data.get("status") == "canceled" or data.get("cancel_at_period_end")):
            at = dt.datetime.fromtimestamp(int(data["canceled_at"]), tz=dt.UTC)
            cancelled[user_id] = max(at, cancelled.get(user_id, at))
    return paid, cancelled


def _firsts(apps, connection):
    """{journey field: {user id: when}} for every step the rows can date."""
    def rows(app, model):
        return apps.get_model(app, model)._base_manager.all()

    email = rows("account", "EmailAddress")
    verified = set(email.filter(verified=True).values_list("user_id", flat=True))
    joined = dict(rows("accounts", "User").values_list("pk", "date_joined"))
    packs = rows("generation", "GenerationJob").filter(status="succeeded").exclude(pack="")
    paid, cancelled = _stripe_times(apps, connection)
    return {
        "signed_up_at": joined,
        "verified_at": {pk: at for pk, at in joined.items() if pk in verified},
        "first_brand_kit_at": _earliest(rows("brandkits", "BrandKit"), "owner_id", "created_at"),
        "first_asset_at": _earliest(rows("library", "Asset"), "owner_id", "created_at"),
        "first_pack_at": _earliest(packs, "user_id", Coalesce("finished_at", "created_at")),
        "first_coach_at": _earliest(rows("coach", "CoachSession"), "user_id", "created_at"),
        "paid_at": paid,
        "cancelled_at": cancelled,
    }


def _merge(journey, steps, user_id):
    """Fill ``journey`` from ``steps``: a first time moves only earlier, a cancellation only later.
    True when something changed."""
    changed = False
    for field, times in steps.items():
        at = times.get(user_id)
        current = getattr(journey, field)
        if at is None or (current is not None and (at >= current if field in FIRSTS else at <= current)):
            continue
        setattr(journey, field, at)
        changed = True
    return changed


def journeys_backfill(apps, schema_editor):
    """A journey for every creator, merged into any the roll-up has already started."""
    journey_model = apps.get_model("analytics", "Journey")
    steps = _firsts(apps, schema_editor.connection)
    users = sorted(steps["signed_up_at"])
    for start in range(0, len(users), BATCH):
        batch = users[start : start + BATCH]
        existing = journey_model._base_manager.in_bulk(batch)
        new, updated = [], []
        for user_id in batch:
            journey = existing.get(user_id) or journey_model(user_id=user_id)
            if _merge(journey, steps, user_id):
                (updated if user_id in existing else new).append(journey)
        journey_model._base_manager.bulk_create(new)
        journey_model._base_manager.bulk_update(updated, [*FIRSTS, "cancelled_at"])


class Migration(migrations.Migration):
    # billing's brings dj-stripe's tables (where dj-stripe has migrations: not in tests).
    dependencies = [
        ("analytics", "0002_row_level_security_fails_closed"),
        ("accounts", "0007_notifications_and_email_opt_outs"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("billing", "0006_row_level_security_fails_closed"),
        ("brandkits", "0006_creator_media_undo"),
        ("coach", "0004_coach_session_undo"),
        ("generation", "0008_template_prompts_stay_on_the_server"),
        ("library", "0007_share_link_undo"),
    ]

    operations = [migrations.RunPython(journeys_backfill, migrations.RunPython.noop, elidable=True)]
