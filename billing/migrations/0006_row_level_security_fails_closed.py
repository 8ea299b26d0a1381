from django.conf import settings
from django.db import migrations

from aurastream import rls

# dj-stripe's tables must exist. Pinned (not __latest__): a later dj-stripe migration must not
# become a parent of this already-applied one. A SQLite test database builds dj-stripe's tables
# from its models (settings/test.py), and has no migration of its to depend on.
DJSTRIPE = [] if settings.MIGRATION_MODULES.get("djstripe", "") is None else [("djstripe", "0003_2_11")]

# Stripe's objects that belong to a creator through their customer (by its Stripe id).
CUSTOMER_TABLES = (
    "djstripe_charge", "djstripe_discount", "djstripe_invoice", "djstripe_invoiceitem", "djstripe_paymentintent",
    "djstripe_paymentmethod", "djstripe_session", "djstripe_setupintent", "djstripe_source",
    "djstripe_subscription", "djstripe_taxid", "djstripe_upcominginvoice",
)  # fmt: skip

# Stripe's records that only webhooks, syncing and staff touch: events and the raw requests
# that carried them, the endpoint's signing secret, API keys, and objects tied to a creator
# only through another object (items, lines, refunds, disputes, cards…).
SYSTEM_TABLES = (
    "djstripe_apikey", "djstripe_applicationfee", "djstripe_applicationfeerefund", "djstripe_balancetransaction",
    "djstripe_bankaccount", "djstripe_card", "djstripe_dispute", "djstripe_djstripeinvoicedefaulttaxrate",
    "djstripe_djstripeinvoiceitemtaxrate", "djstripe_djstripepaymentmethod",
    "djstripe_djstripesubscriptionitemtaxrate", "djstripe_earlyfraudwarning", "djstripe_event", "djstripe_file",
    "djstripe_filelink", "djstripe_idempotencykey", "djstripe_issuing_authorization", "djstripe_issuing_card",
    "djstripe_issuing_cardholder", "djstripe_issuing_dispute", "djstripe_issuing_transaction", "djstripe_lineitem",
    "djstripe_mandate", "djstripe_payout", "djstripe_refund", "djstripe_review", "djstripe_scheduledqueryrun",
    "djstripe_sourcetransaction", "djstripe_subscriptionitem", "djstripe_transfer", "djstripe_transferreversal",
    "djstripe_verificationreport", "djstripe_verificationsession", "djstripe_webhookendpoint", "djstripe_webhookeventtrigger",
    "djstripe_activeentitlement", "djstripe_accountv2",
)  # fmt: skip


class Migration(migrations.Migration):
    """A creator's usage, plan grants and payment issues are theirs only, and so are their
    Stripe customer and what hangs off it; the rest of Stripe's mirror is system work (webhooks,
    syncing, staff). Fails closed: a query acting for nobody sees none of these rows."""

    dependencies = [
        ("accounts", "0005_row_level_security_fails_closed"),
        ("billing", "0005_row_level_security"),
        *DJSTRIPE,
    ]

    operations = [
        migrations.RunPython(
            *rls.enable(
                rls.OwnedReadOnly("billing_plangrant", "user_id"),
                rls.Owned("billing_usageentry", "user_id"),
                rls.Owned("billing_paymentissue", "user_id"),
                rls.Owned("djstripe_customer", "subscriber_id"),
                *(rls.Through(table, "customer_id", "djstripe_customer", "subscriber_id") for table in CUSTOMER_TABLES),
                rls.Through(
                    "djstripe_subscriptionschedule",
                    "customer_id",
                    "djstripe_customer",
                    "subscriber_id",
                    parent_key="djstripe_id",
                ),
                *(rls.SystemOnly(table) for table in SYSTEM_TABLES),
            ),
            elidable=False,
        ),
    ]
