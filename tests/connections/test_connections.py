"""Connecting channels, their tokens, and what the platforms' failures do (Twitch, YouTube and
Kick played by tests.fakes.platforms)."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import connection as db
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.services import user_delete
from connections.models import Connection
from library.models import Publication
from tests.factories import AssetFactory, PlanGrantFactory, RenditionFactory, UserFactory

from .conftest import connect

pytestmark = pytest.mark.django_db


def test_connecting_youtube_keeps_the_channel_and_its_pictures(pro_client, pro, fake):
    connection = connect(pro_client, fake, "youtube")

    channel = fake.channels["youtube"]
    assert (connection.owner, connection.account_id, connection.display_name) == (
        pro,
        channel.id,
        channel.display_name,
    )
    assert connection.avatar
    assert connection.banner
    assert connection.scopes == ["https://www.googleapis.com/auth/youtube"]
    page = pro_client.get(reverse("connections:list"))
    assert f"YouTube channel “{channel.display_name}” is connected." in page.content.decode()


def test_signing_in_is_separate_and_asks_the_platform_only_for_what_it_needs(pro_client, fake):
    started = pro_client.post(reverse("connections:connect", args=["youtube"]))
    query = parse_qs(urlsplit(started["Location"]).query)
    assert query["scope"] == ["https://www.googleapis.com/auth/youtube"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"]
    assert query["redirect_uri"] == ["http://testserver/profile/connections/youtube/callback/"]


def test_tokens_are_unreadable_in_the_database(pro_client, fake):
    connection = connect(pro_client, fake, "twitch")
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, refresh_token FROM connections_connection WHERE id = %s", [connection.pk]
        )
        raw_access, raw_refresh = cursor.fetchone()
    assert connection.access_token
    assert connection.refresh_token
    assert connection.access_token not in raw_access
    assert connection.refresh_token not in raw_refresh
    assert raw_access.startswith("gAAAA")
    assert raw_refresh.startswith("gAAAA")


def test_declining_at_the_platform_connects_nothing(pro_client, fake):
    started = pro_client.post(reverse("connections:connect", args=["kick"]))
    back = urlsplit(fake.deny(started["Location"]))
    answer = pro_client.get(back.path + "?" + back.query, follow=True)
    assert "Nothing was connected" in answer.content.decode()
    assert not Connection.objects.exists()


def test_a_state_from_another_account_is_refused(client, fake):
    first, second = UserFactory(plan="pro"), UserFactory(plan="pro")
    client.force_login(first)
    started = client.post(reverse("connections:connect", args=["twitch"]))
    back = urlsplit(fake.approve(started["Location"]))
    client.force_login(second)
    answer = client.get(back.path + "?" + back.query, follow=True)
    assert "started by another account" in answer.content.decode()
    assert not Connection.objects.exists()


def test_disconnecting_revokes_at_the_platform_and_deletes_the_row(
    pro_client, fake, django_capture_on_commit_callbacks
):
    connection = connect(pro_client, fake, "youtube")
    refresh = connection.refresh_token
    with django_capture_on_commit_callbacks(execute=True):
        answer = pro_client.post(reverse("connections:disconnect", args=[connection.pk]), follow=True)
    assert "is disconnected" in answer.content.decode()
    assert ("youtube", refresh) in fake.revoked
    assert not Connection.objects.exists()


def test_deleting_the_account_revokes_every_connection(
    pro_client, pro, fake, django_capture_on_commit_callbacks
):
    twitch, kick = connect(pro_client, fake, "twitch"), connect(pro_client, fake, "kick")
    tokens = {("twitch", twitch.refresh_token), ("kick", kick.refresh_token)}
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=pro)
    assert tokens <= set(fake.revoked)
    assert not Connection.objects.exists()


def test_a_fourth_connection_on_pro_is_refused_with_an_upgrade(pro_client, pro, fake):
    for account in ("1", "2", "3"):
        Connection.objects.create(
            owner=pro, provider="twitch", account_id=account, display_name=account, access_token="t"
        )
    answer = pro_client.post(reverse("connections:connect", args=["youtube"]), follow=True)
    page = answer.content.decode()
    assert "Your Pro plan connects 3 channels at a time" in page
    assert "Upgrade to Studio" in page
    assert Connection.objects.count() == 3


def test_studio_connects_without_a_limit(studio_client, studio, fake):
    for account in range(6):
        Connection.objects.create(
            owner=studio, provider="twitch", account_id=str(account), display_name="x", access_token="t"
        )
    connect(studio_client, fake, "youtube")
    assert Connection.objects.filter(owner=studio).count() == 7


def test_free_connects_one_channel(auth_client, user, fake):
    connect(auth_client, fake, "twitch")
    answer = auth_client.post(reverse("connections:connect", args=["youtube"]), follow=True)
    assert "Your Free plan connects 1 channel at a time" in answer.content.decode()


def test_another_creators_connection_is_a_404(client, fake):
    owner = UserFactory(plan="pro")
    theirs = Connection.objects.create(
        owner=owner, provider="twitch", account_id="9", display_name="x", access_token="t"
    )
    client.force_login(UserFactory())
    for name in ("brand_import", "schedule_banner", "going_live"):
        assert client.get(reverse(f"connections:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("connections:disconnect", args=[theirs.pk])).status_code == 404
    assert Connection.objects.filter(pk=theirs.pk).exists()


# --- Publishing and the tokens' life -------------------------------------------------------


@pytest.fixture
def thumbnail(pro):
    return AssetFactory(owner=pro, platform="youtube", asset_type="thumbnail", sizes=(1280,))


def publish(client, asset, connection, video):
    return client.post(
        reverse("connections:publish", args=[asset.pk]), {"connection": connection.pk, "video": video}
    )


def test_publishing_a_thumbnail_uploads_the_exact_file_and_records_it(pro_client, fake, thumbnail):
    connection = connect(pro_client, fake, "youtube")
    video = fake.channels["youtube"].videos[1]
    answer = publish(pro_client, thumbnail, connection, video.video_id)
    assert answer.status_code == 302
    (upload,) = fake.uploads
    rendition = thumbnail.renditions.get()
    assert (upload.kind, upload.video_id, upload.data) == ("thumbnail", video.video_id, rendition.file.read())
    publication = Publication.objects.get(asset=thumbnail)
    assert (publication.target_id, publication.target_title) == (video.video_id, video.title)
    page = pro_client.get(reverse("library:asset", args=[thumbnail.pk])).content.decode()
    assert "Published to YouTube" in page
    assert video.title in page


def test_publishing_through_another_creators_channel_is_a_404(pro_client, fake, thumbnail):
    connect(pro_client, fake, "youtube")  # their own channel is there, and is not used instead
    someone = UserFactory(plan="pro")
    theirs = Connection.objects.create(
        owner=someone, provider="youtube", account_id="UC9", display_name="x", access_token="t"
    )
    answer = publish(pro_client, thumbnail, theirs, fake.channels["youtube"].videos[0].video_id)
    assert answer.status_code == 404
    assert not fake.uploads
    assert not Publication.objects.exists()


def test_an_expired_token_is_refreshed_once_and_the_call_retried(pro_client, fake, thumbnail):
    connection = connect(pro_client, fake, "youtube")
    fake.expire_access_tokens()
    answer = publish(pro_client, thumbnail, connection, fake.channels["youtube"].videos[0].video_id)
    assert answer.status_code == 302
    refreshes = [c for c in fake.called("POST", "/token") if c.body.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 1
    assert len(fake.uploads) == 1


def test_a_token_past_its_expiry_is_refreshed_before_the_call(pro_client, fake):
    connection = connect(pro_client, fake, "kick")
    old_refresh = connection.refresh_token
    Connection.objects.filter(pk=connection.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    answer = pro_client.post(reverse("connections:read", args=[connection.pk]))
    assert answer.status_code == 302
    connection.refresh_from_db()
    # Kick replaces the refresh token on every refresh: the new one is kept.
    assert connection.refresh_token != old_refresh
    assert connection.expires_at > timezone.now()


def test_a_revoked_grant_asks_the_creator_to_reconnect(pro_client, fake, thumbnail):
    connection = connect(pro_client, fake, "youtube")
    fake.revoke_grants("youtube")
    fake.expire_access_tokens()
    answer = publish(pro_client, thumbnail, connection, fake.channels["youtube"].videos[0].video_id)
    connection.refresh_from_db()
    assert connection.needs_reconnect
    page = pro_client.get(reverse("connections:list")).content.decode()
    assert "Reconnect YouTube" in page
    assert answer.status_code == 302
    assert not fake.uploads
    assert not Publication.objects.exists()


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_failing_platform_leaves_nothing_half_done(pro_client, fake, thumbnail, status):
    connection = connect(pro_client, fake, "youtube")
    fake.fail_next("/upload/youtube/v3/thumbnails/set", status)
    answer = publish(pro_client, thumbnail, connection, fake.channels["youtube"].videos[0].video_id)
    assert answer.status_code == 503
    assert answer["Retry-After"]
    assert "Nothing was changed" in answer.content.decode()
    assert not Publication.objects.exists()
    assert not fake.uploads
    connection.refresh_from_db()
    assert not connection.needs_reconnect


def test_youtube_quota_exhaustion_says_when_to_try_again(pro_client, fake, thumbnail):
    connection = connect(pro_client, fake, "youtube")
    videos = fake.channels["youtube"].videos
    fake.quota_exceeded()
    answer = publish(pro_client, thumbnail, connection, videos[0].video_id)
    assert answer.status_code == 503
    assert "quota" in answer.content.decode()
    assert "midnight Pacific" in answer.content.decode()
    assert not Publication.objects.exists()


def test_a_refresh_survives_a_failure_after_it(pro_client, fake, thumbnail):
    """Kick and others may replace the refresh token; a 503 after the refresh keeps it."""
    connection = connect(pro_client, fake, "youtube")
    fake.expire_access_tokens()
    fake.fail_next("/upload/youtube/v3/thumbnails/set", 503)
    old_access = connection.access_token
    publish(pro_client, thumbnail, connection, fake.channels["youtube"].videos[0].video_id)
    connection.refresh_from_db()
    assert connection.access_token != old_access


def test_the_channel_banner_keeps_the_channels_other_settings(pro, pro_client, fake):
    banner = AssetFactory(
        owner=pro, platform="youtube", asset_type="channel_banner", sizes=(), width=2560, height=1440
    )
    picture = io.BytesIO()
    Image.new("RGB", (2560, 1440), "#7C3AED").save(picture, format="PNG")
    RenditionFactory(
        asset=banner,
        width=2560,
        height=1440,
        label="2560x1440",
        file=ContentFile(picture.getvalue(), name="b.png"),
    )
    connection = connect(pro_client, fake, "youtube")
    title = fake.branding_settings["channel"]["title"]
    answer = pro_client.post(reverse("connections:publish", args=[banner.pk]), {"connection": connection.pk})
    assert answer.status_code == 302
    branding = fake.branding_settings
    assert branding["channel"]["title"] == title
    assert branding["image"]["bannerExternalUrl"]
    assert Publication.objects.get(asset=banner).kind == "channel_banner"


def test_an_emote_says_where_to_upload_it_by_hand(pro, pro_client, fake):
    emote = AssetFactory(owner=pro)
    connect(pro_client, fake, "twitch")
    panel = pro_client.get(reverse("connections:asset_panel", args=[emote.pk])).content.decode()
    login = fake.channels["twitch"].login
    assert f"https://dashboard.twitch.tv/u/{login}/viewer-rewards/emotes" in panel
    assert "no upload API" in panel
    assert reverse("library:asset_zip", args=[emote.pk]) in panel


# --- Identity in ----------------------------------------------------------------------------


def test_the_avatars_colours_go_into_a_new_brand_kit(pro_client, fake):
    connection = connect(pro_client, fake, "youtube")
    answer = pro_client.post(
        reverse("connections:brand_import", args=[connection.pk]),
        {"source": "avatar", "kit": "new", "use_name": "on"},
    )
    assert answer.status_code == 302
    from brandkits.models import BrandKit

    kit = BrandKit.objects.get()
    colours = {kit.primary_color, kit.secondary_color, kit.accent_color, kit.background_color, kit.text_color}
    avatar = {c.upper() for c in fake.channels["youtube"].avatar_colours}
    assert len(avatar & {c.upper() for c in colours}) >= 2
    assert kit.channel_name == connection.display_name


def test_the_schedule_banner_shows_the_streams_in_the_creators_time_zone(client, fake):
    creator = UserFactory(timezone="America/New_York")
    PlanGrantFactory(user=creator, plan="pro")
    client.force_login(creator)
    connection = connect(client, fake, "twitch")
    from zoneinfo import ZoneInfo

    from connections.schedule import DAYS
    from tests.fakes.platform_data import Segment

    # 00:00 UTC is 7 PM the evening before in New York (EST).
    midnight = (timezone.now() + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [midnight, midnight + dt.timedelta(days=2)]
    fake.channels["twitch"].segments = [Segment(s, s + dt.timedelta(hours=3), "Cozy", "Art") for s in starts]
    local = sorted(s.astimezone(ZoneInfo("America/New_York")).weekday() for s in starts)
    expected = f"{DAYS[local[0]]} · {DAYS[local[1]]} — 7 PM"
    answer = client.get(reverse("connections:schedule_banner", args=[connection.pk]))
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert f'value="{expected}"' in page


def test_rotating_keys_reencrypts_under_the_new_key(pro_client, fake, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from aurastream import crypto

    connection = connect(pro_client, fake, "twitch")
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CONNECTION_TOKEN_KEYS = [old_key]
    connection.save()  # under the old key
    settings.CONNECTION_TOKEN_KEYS = [new_key, old_key]
    call_command("rotate_connection_keys")
    settings.CONNECTION_TOKEN_KEYS = [new_key]
    with db.cursor() as cursor:
        cursor.execute("SELECT access_token FROM connections_connection WHERE id = %s", [connection.pk])
        (raw,) = cursor.fetchone()
    assert crypto.decrypt(raw) == connection.access_token
    assert Connection.objects.get(pk=connection.pk).access_token == connection.access_token
