"""The operators' admin: its sections, the creators' list, the staff actions log, and a 404 for
every signed-in creator anywhere under /admin/."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from accounts.models import User
from billing.payments import customer_for, subscription_sync
from billing.plans import PLANS
from generation.models import GenerationJob
from library.models import Asset
from tests.factories import (
    AssetFactory,
    GenerationJobFactory,
    PlanGrantFactory,
    UsageEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


def analytics(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Signups this week: 12")


# A page someone else mounts under /admin/, before the admin site (as aurastream/urls.py would).
urlpatterns = [
    path("admin/analytics/", analytics),
    path("", include("aurastream.urls")),
]


def sections(page: str) -> list[str]:
    """The index's section headings, in order (a collapsed section's summary included)."""
    content = page.split('id="content-main"', 1)[1]
    found = re.findall(r'<a href="[^"]*" class="section"[^>]*>([^<]+)</a>|<summary>([^<]+?)\s*<span', content)
    return [(link or summary).strip() for link, summary in found]


def rows(page: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", page.split('id="result_list"', 1)[1], re.S)


def test_the_index_lists_the_product_first_one_accounts_section_and_stripe_collapsed_last(staff_client):
    page = staff_client.get("/admin/").content.decode()

    order = sections(page)
    assert order == [
        "Accounts",
        "Workspaces",
        "Billing",
        "Generation",
        "Library",
        "Brand kits",
        "Prompt Coach",
        "Platform connections",
        "Developers",
        "Webhooks",
        "Analytics",
        "Staff and system",
        "Stripe",
    ]
    assert 'href="/admin/analytics/"' in page.split("Models in the Analytics application", 1)[1]
    main = page.split('id="content-main"', 1)[1]
    stripe = re.search(r"<details[^>]*>\s*<summary>Stripe", main)
    assert stripe is not None
    assert " open" not in stripe.group(0)
    accounts = main.split("Models in the Accounts application", 1)[1].split("</table>", 1)[0]
    for name in ("Users", "Email addresses", "Social accounts", "Notifications"):
        assert f">{name}</a>" in accounts
    assert accounts.index(">Users</a>") < accounts.index(">Email addresses</a>")
    assert ">Staff actions</a>" in main
    assert main.count("Subscriptions</a>") == 1  # dj-stripe's, inside the Stripe section


def test_an_apps_own_page_shows_its_whole_section(staff_client):
    page = staff_client.get("/admin/account/").content.decode()

    assert staff_client.get("/admin/account/").status_code == 200
    assert ">Users</a>" in page
    assert ">Email addresses</a>" in page


def test_the_user_list_shows_each_creators_plan_usage_assets_and_filters_by_plan(staff_client, fake_stripe):
    free = UserFactory(email="free@example.com")
    granted = UserFactory(email="granted@example.com")
    PlanGrantFactory(user=granted, plan="pro")
    subscriber = UserFactory(email="subscriber@example.com")
    subscription = fake_stripe.subscription(
        customer=customer_for(subscriber).id, price="price_studio_monthly"
    )
    subscription_sync(subscription["id"])
    upgraded = UserFactory(email="upgraded@example.com")  # a Pro grant, but a Studio subscription
    PlanGrantFactory(user=upgraded, plan="pro")
    subscription = fake_stripe.subscription(customer=customer_for(upgraded).id, price="price_studio_monthly")
    subscription_sync(subscription["id"])
    UsageEntryFactory(user=granted, quantity=7)
    AssetFactory(owner=granted, sizes=(28,))
    AssetFactory(owner=granted, sizes=(28,))

    page = staff_client.get(USERS).content.decode()
    by_email = {
        re.search(r"[\w.]+@example\.com", row).group(0): row for row in rows(page) if "@example.com" in row
    }
    pro_only = staff_client.get(USERS, {"plan": "pro"}).content.decode()
    studio_only = staff_client.get(USERS, {"plan": "studio"}).content.decode()
    free_only = staff_client.get(USERS, {"plan": "free"}).content.decode()

    assert re.search(r'field-plan">Free<', by_email[free.email])
    assert re.search(r'field-plan">Pro <span class="ops-quiet">grant', by_email[granted.email])
    assert re.search(r'field-plan">Studio <span class="ops-quiet">Stripe', by_email[subscriber.email])
    assert 'field-usage">7 of 50<' in by_email[granted.email]
    assert 'field-usage">0 of 3<' in by_email[free.email]
    assert 'field-assets">2<' in by_email[granted.email]
    assert 'field-assets">0<' in by_email[free.email]
    creators = (free, granted, subscriber, upgraded)
    pages = {"pro": pro_only, "studio": studio_only, "free": free_only}
    listed = {code: {c.email for c in creators if c.email in page} for code, page in pages.items()}
    assert listed == {
        "pro": {granted.email},
        "studio": {subscriber.email, upgraded.email},
        "free": {free.email},
    }


def test_last_seen_is_the_later_of_signing_in_and_starting_a_job(staff_client):
    creator = UserFactory(email="seen@example.com")
    job = GenerationJobFactory(user=creator)
    type(creator).objects.filter(pk=creator.pk).update(last_login=None)

    page = staff_client.get(USERS, {"q": creator.email}).content.decode()

    (row,) = [row for row in rows(page) if creator.email in row]
    shown = re.search(r"field-last_seen[^>]*>([^<]+)<", row).group(1)
    assert shown != "-"
    assert str(job.created_at.year) in shown


def _user_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(USERS)
    assert response.status_code == 200
    return len(queries)


def _creator_with_everything(n: int) -> None:
    creator = UserFactory(email=f"busy{n}@example.com")
    PlanGrantFactory(user=creator, plan="studio" if n % 2 else "pro")
    UsageEntryFactory(user=creator, quantity=2)
    AssetFactory(owner=creator, sizes=(28,))
    GenerationJobFactory(user=creator)


def test_the_user_lists_queries_do_not_grow_with_its_rows(staff_client):
    _creator_with_everything(0)
    one = _user_list_queries(staff_client)
    for n in range(1, 20):
        _creator_with_everything(n)

    twenty = _user_list_queries(staff_client)

    assert twenty == one


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (model, field)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("accounts", "billing", "library", "brandkits", "generation", "coach")
        for field in ("owner", "user")
        if any(f.name == field for f in model._meta.fields)
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_product_list_is_searched_by_the_owners_email(staff_client, model, field):
    model_admin = admin.site._registry[model]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = staff_client.get(url, {"q": "nobody-else@example.com"})

    assert f"{field}__email" in model_admin.search_fields
    assert response.status_code == 200


def test_the_user_list_and_the_asset_list_find_a_creator_by_email(staff_client):
    wanted = UserFactory(email="wanted.creator@example.com")
    UserFactory(email="someone.else@example.com")
    AssetFactory(owner=wanted, title="Wanted emote", sizes=(28,))

    users = staff_client.get(USERS, {"q": "wanted.creator"}).content.decode()
    assets = staff_client.get("/admin/library/asset/", {"q": "wanted.creator@example.com"}).content.decode()

    assert wanted.email in users
    assert "someone.else" not in users
    assert "Wanted emote" in assets


def test_staff_actions_are_logged_and_listed(staff_client, user, django_capture_on_commit_callbacks):
    asset = AssetFactory(owner=user, shared=True, title="Reported emote")
    failed = GenerationJobFactory(user=user, status=GenerationJob.Status.FAILED, spec_key="twitch.emote")
    queued = GenerationJobFactory(user=user, status=GenerationJob.Status.QUEUED, spec_key="twitch.emote")
    jobs = "/admin/generation/generationjob/"

    staff_client.post("/admin/library/asset/", {"action": "take_down", "_selected_action": [str(asset.pk)]})
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(jobs, {"action": "retry_jobs", "_selected_action": [str(failed.pk)]})
    staff_client.post(jobs, {"action": "cancel_jobs", "_selected_action": [str(queued.pk)]})
    staff_client.post(
        f"{USERS}{user.pk}/change/",
        {
            "email": user.email,
            "display_name": user.display_name,
            "timezone": "UTC",
            "is_active": "on",
            "plan_grants-TOTAL_FORMS": "1",
            "plan_grants-INITIAL_FORMS": "0",
            "plan_grants-0-plan": "studio",
            "plan_grants-0-starts_at_0": "2026-01-01",
            "plan_grants-0-starts_at_1": "00:00:00",
            "plan_grants-0-reason": "Partner streamer",
            "payment_issues-TOTAL_FORMS": "0",
            "payment_issues-INITIAL_FORMS": "0",
        },
    )
    log = staff_client.get("/admin/admin/logentry/").content.decode()

    messages = {
        (entry.content_type.model, entry.action_flag, entry.get_change_message())
        for entry in LogEntry.objects.select_related("content_type")
    }
    retried = GenerationJob.objects.exclude(pk__in=[failed.pk, queued.pk]).get()
    staff_email = LogEntry.objects.first().user.email
    assert ("asset", CHANGE, "Took down: made private; its public link stopped working.") in messages
    assert ("generationjob", CHANGE, f"Retried as a new job, {retried.pk}.") in messages
    assert ("generationjob", ADDITION, f"Queued as a retry of job {failed.pk}.") in messages
    assert ("generationjob", CHANGE, "Canceled; its reserved generations were released.") in messages
    grant_message = f"Granted Studio to {user.email}, with no end date (Partner streamer)."
    assert ("plangrant", ADDITION, grant_message) in messages
    assert user.plan_grants.get().granted_by.email == staff_email
    for shown in ("Took down: made private", "Retried as a new job", "Canceled; its reserved", grant_message):
        assert shown in log
    assert staff_email in log
    assert "Reported emote" in log


def test_the_staff_actions_log_is_read_only_and_searchable(staff_client, user):
    AssetFactory(owner=user, title="Reported emote", shared=True)
    asset = Asset.objects.get()
    staff_client.post("/admin/library/asset/", {"action": "take_down", "_selected_action": [str(asset.pk)]})
    entry = LogEntry.objects.get()

    found = staff_client.get("/admin/admin/logentry/", {"q": "Reported"}).content.decode()
    missed = staff_client.get("/admin/admin/logentry/", {"q": "nothing like it"}).content.decode()
    by_flag = staff_client.get("/admin/admin/logentry/", {"action_flag__exact": str(CHANGE)}).content.decode()

    assert "Reported emote" in found
    assert "Reported emote" not in missed
    assert "Reported emote" in by_flag
    assert staff_client.get("/admin/admin/logentry/add/").status_code == 403
    assert staff_client.get(f"/admin/admin/logentry/{entry.pk}/delete/").status_code == 403
    detail = staff_client.get(f"/admin/admin/logentry/{entry.pk}/change/")
    assert detail.status_code == 200
    assert 'type="submit"' not in detail.content.decode().split("<form", 2)[-1]


def _admin_urls(user_id: int, asset: Asset) -> list[str]:
    """Every kind of admin page: the site's own, each model's list and add pages, one object's."""
    user_type = ContentType.objects.get_for_model(type(asset.owner))
    urls = [
        "/admin/",
        "/admin/login/",
        "/admin/logout/",
        "/admin/password_change/",
        "/admin/password_change/done/",
        "/admin/jsi18n/",
        "/admin/autocomplete/?app_label=billing&model_name=plangrant&field_name=user",
        f"/admin/r/{user_type.pk}/{user_id}/",
        "/admin/accounts/",
        "/admin/djstripe/",
        "/admin/no-such-page/",
        f"{USERS}{user_id}/change/",
        f"{USERS}{user_id}/history/",
        f"{USERS}{user_id}/delete/",
        f"/admin/library/asset/{asset.pk}/change/",
        f"/admin/library/asset/{asset.pk}/files/28/",
        "/admin/analytics/",
    ]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls += [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
    return urls


@pytest.mark.urls(__name__)
def test_a_signed_in_creator_gets_404_for_every_admin_page(auth_client, user):
    asset = AssetFactory(owner=user, sizes=(28,), shared=True)
    urls = _admin_urls(user.pk, asset)
    assert len(urls) > 100

    answers = {url: auth_client.get(url).status_code for url in urls}
    posts = {
        url: auth_client.post(url, {"username": user.email, "password": "x"}).status_code
        for url in ("/admin/login/", "/admin/logout/", USERS)
    }

    assert {url: status for url, status in answers.items() if status != 404} == {}
    assert set(posts.values()) == {404}
    page = auth_client.get("/admin/").content.decode()
    assert "AuraStream operations" not in page  # the site's own 404, not the admin's
    assert auth_client.get("/dashboard/").status_code == 200  # still signed in


@pytest.mark.urls(__name__)
def test_staff_open_every_admin_page(staff_client, user):
    asset = AssetFactory(owner=user, sizes=(28,), shared=True)
    refused = {}
    for url in _admin_urls(user.pk, asset):
        status = staff_client.get(url).status_code
        if status != 200:
            refused[url] = status

    no_add = {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(_staff_request())
    }
    assert refused == {
        "/admin/login/": 302,  # already signed in: on to the index
        "/admin/logout/": 405,  # a POST
        f"/admin/r/{ContentType.objects.get_for_model(type(user)).pk}/{user.pk}/": 404,  # no page on the site
        "/admin/no-such-page/": 404,
        **dict.fromkeys(no_add, 403),
    }


def _staff_request() -> HttpRequest:
    request = HttpRequest()
    request.user = User(is_staff=True, is_superuser=True, is_active=True)
    return request


def test_visitors_keep_the_sign_in_form(client):
    index = client.get("/admin/")
    login = client.get("/admin/login/")

    assert index.status_code == 302
    assert index["Location"].startswith("/admin/login/")
    assert login.status_code == 200
    assert 'name="password"' in login.content.decode()


def test_every_plan_is_offered_by_the_filter(staff_client):
    page = staff_client.get(USERS).content.decode()

    for plan in PLANS.values():
        assert f"?plan={plan.code}" in page
