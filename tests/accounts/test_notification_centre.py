"""Notifications are stored by the service that finishes the work, pushed after the commit, shown
in the bell, and a lost channel layer never fails the work."""

from __future__ import annotations

import re

import pytest
from channels.layers import channel_layers
from django.core import mail

from accounts import services
from accounts.models import Notification
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

PACK = JobRequest(spec_key="twitch.emote", prompt="purple cat", pack="emote_pack", pack_items=["GG", "HYPE"])
THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Ranked night, "RANKED"', seed=7)


def run(user, request: JobRequest, capture) -> GenerationJob:
    with capture(execute=True):
        job, _ = generation.job_create(user=user, request=request)
    job.refresh_from_db()
    return job


def test_a_finished_pack_is_a_notification_linking_to_its_job_and_an_email_when_away(
    user, django_capture_on_commit_callbacks
):
    job = run(user, PACK, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.SUCCEEDED
    notification = Notification.objects.get(user=user)
    assert notification.kind == Notification.Kind.JOB_SUCCEEDED
    assert notification.message == "Your emote pack is ready: 2 assets in your library."
    assert notification.link == f"/create/jobs/{job.pk}/"
    assert notification.read_at is None
    # No page of theirs was open to receive it: a pack is worth an email.
    (email,) = mail.outbox
    assert email.subject == "[AuraStream] Your emote pack is ready: 2 assets in your library."
    assert f"/create/jobs/{job.pk}/" in email.body  # the site's address (the Site row)
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'/create/jobs/{job.pk}/"' in html
    assert "AuraStream" in html
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https?://[^>]+/email/unsubscribe/[^/>]+/>", email.extra_headers["List-Unsubscribe"]
    )


def test_a_quick_single_job_is_notified_but_not_emailed(user, django_capture_on_commit_callbacks):
    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(user=user)
    assert notification.message == "Your YouTube thumbnail is ready."
    assert notification.link == f"/create/jobs/{job.pk}/"
    assert mail.outbox == []


def test_a_failed_job_is_notified_with_its_reason(user, settings, django_capture_on_commit_callbacks):
    settings.IMAGE_PROVIDER = "tests.generation.providers.RefusingProvider"

    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.FAILED
    notification = Notification.objects.get(user=user)
    assert notification.kind == Notification.Kind.JOB_FAILED
    assert notification.message.startswith("Your YouTube thumbnail couldn't be made:")
    assert "safety filter" in notification.message
    assert notification.link == f"/create/jobs/{job.pk}/"


def test_a_creator_who_saw_it_live_gets_no_email(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = services.notify(
            user_id=user.pk,
            kind=Notification.Kind.JOB_SUCCEEDED,
            message="Ready",
            link="/",
            email_when_away=True,
        )
    # An open tab received it (the socket marks it) before the delayed email task ran.
    services.notifications_delivered(user_id=user.pk, notification_ids=[notification.pk])

    assert services.notification_email_send(user_id=user.pk, notification_id=notification.pk) is False
    assert mail.outbox == []


def test_redis_down_loses_the_push_not_the_job_or_the_notification(
    user, settings, django_capture_on_commit_callbacks, caplog
):
    # A Redis channel layer on a port nothing listens on: every push fails.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)
    finally:
        channel_layers.backends.clear()

    assert job.status == GenerationJob.Status.SUCCEEDED
    assert Notification.objects.filter(user=user, kind=Notification.Kind.JOB_SUCCEEDED).exists()
    assert "waits in the bell" in caplog.text


def test_the_bell_counts_unread_and_opening_one_marks_it_read_and_follows_it(auth_client, user, other_user):
    mine = NotificationFactory(user=user, kind="job_succeeded", message="Thumbnail ready", link="/library/")
    NotificationFactory(user=user, kind="job_failed", message="Pack failed", link="/create/")
    theirs = NotificationFactory(user=other_user, kind="job_succeeded", message="Not yours")

    page = auth_client.get("/dashboard/").content.decode()
    assert 'aria-label="Notifications, 2 unread"' in page

    panel = auth_client.get("/notifications/", headers={"HX-Request": "true"}).content.decode()
    assert "Thumbnail ready" in panel
    assert "Pack failed" in panel
    assert "Not yours" not in panel
    assert "<html" not in panel  # the panel alone, for the bell

    response = auth_client.post(f"/notifications/{mine.pk}/open/")
    assert (response.status_code, response["Location"]) == (302, "/library/")
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert auth_client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    auth_client.post("/notifications/read/")
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert 'aria-label="Notifications"' in auth_client.get("/dashboard/").content.decode()


def test_a_link_elsewhere_is_not_followed(auth_client, user):
    notification = NotificationFactory(
        user=user, kind="job_succeeded", message="Ready", link="https://evil.example/"
    )

    response = auth_client.post(f"/notifications/{notification.pk}/open/")

    assert response["Location"] == "/notifications/"


def test_the_bells_count_is_kept_between_pages_yet_a_new_or_read_notification_shows_at_once(
    client, user, other_user, django_capture_on_commit_callbacks
):
    def bell(account) -> str:
        client.force_login(account)
        page = client.get("/dashboard/").content.decode()
        return re.search(r'aria-label="(Notifications[^"]*)"', page).group(1)

    assert bell(user) == "Notifications"
    assert bell(other_user) == "Notifications"

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_id=user.pk, kind=Notification.Kind.JOB_SUCCEEDED, message="Thumbnail ready")
    assert bell(user) == "Notifications, 1 unread"
    assert bell(other_user) == "Notifications"  # another creator's count is theirs alone

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user_id=other_user.pk, kind=Notification.Kind.JOB_FAILED, message="Pack failed")
    assert bell(other_user) == "Notifications, 1 unread"
    assert bell(user) == "Notifications, 1 unread"

    client.force_login(user)
    client.post("/notifications/read/")
    assert bell(user) == "Notifications"
    assert bell(other_user) == "Notifications, 1 unread"
