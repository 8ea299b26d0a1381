"""PostgreSQL row-level security: even a query that forgets to scope by owner sees only the
acting creator's rows (and what is publicly shared); system work sees everything."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from aurastream.db import ANONYMOUS, acting_user
from billing.models import UsageEntry
from brandkits.models import BrandKit
from coach.models import CoachMessage, CoachSession
from library import services
from library.models import Asset, Rendition
from tests.factories import make_assets

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"),
]

PROTECTED = {
    "brandkits_brandkit", "brandkits_brandlogo", "brandkits_brandfont", "brandkits_creatormedia",
    "generation_generationjob", "library_collection", "library_tag", "library_asset", "library_rendition",
    "library_asset_tags", "coach_coachsession", "coach_coachmessage", "billing_plangrant",
    "billing_usageentry", "billing_paymentissue",
}  # fmt: skip


@pytest.fixture
def two_libraries(user, other_user):
    """Two creators with two assets each; one of the other creator's is shared publicly."""
    mine = make_assets(user, 2, title="Mine")
    theirs = make_assets(other_user, 2, title="Theirs")
    shared = services.asset_share(asset=theirs[0])
    return mine, theirs, shared


def test_every_table_of_creators_work_is_protected_even_from_its_owner_role():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity AND relname = ANY(%s)",
            [sorted(PROTECTED)],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert protected == PROTECTED


def test_an_unscoped_query_sees_only_the_acting_creators_rows_and_public_ones(user, two_libraries):
    mine, _, shared = two_libraries

    with acting_user(user.pk):
        titles = set(Asset.objects.values_list("pk", flat=True))
        files = set(Rendition.objects.values_list("asset_id", flat=True))
        # Readable is not writable: their public asset cannot be changed or deleted.
        changed = Asset.objects.filter(pk=shared.pk).update(title="mine now")
        deleted = Rendition.objects.filter(asset_id=shared.pk).delete()[0]

    assert titles == {mine[0].pk, mine[1].pk, shared.pk}
    assert files == titles
    assert (changed, deleted) == (0, 0)
    assert Asset.objects.get(pk=shared.pk).title == shared.title


def test_a_signed_out_request_sees_only_what_is_shared(two_libraries):
    *_, shared = two_libraries

    with acting_user(ANONYMOUS):
        assert list(Asset.objects.values_list("pk", flat=True)) == [shared.pk]
        assert BrandKit.objects.count() == 0


def test_rows_cannot_be_written_for_another_creator(user, other_user):
    refused = pytest.raises(DatabaseError, match="row-level security")
    with acting_user(user.pk), refused, transaction.atomic():
        UsageEntry.objects.create(
            user=other_user, quantity=1, period_start=timezone.now().date(), reference="x"
        )
    refused = pytest.raises(DatabaseError, match="row-level security")
    with acting_user(user.pk), refused, transaction.atomic():
        BrandKit.objects.create(owner=other_user, name="Not yours")


def test_child_rows_follow_their_parent(user, other_user):
    session = CoachSession.objects.create(user=other_user, seed=1)
    CoachMessage.objects.create(session=session, role="user", content="my secret plan")

    with acting_user(user.pk):
        assert CoachMessage.objects.count() == 0
    with acting_user(other_user.pk):
        assert CoachMessage.objects.count() == 1


def test_system_work_sees_everything(two_libraries):
    with acting_user(None):
        assert Asset.objects.count() == 4


def test_staff_in_the_admin_manage_every_creators_rows(client, two_libraries, django_user_model):
    staff = django_user_model.objects.create_superuser(email="ops@example.com", password="x" * 12)
    client.force_login(staff)

    page = client.get("/admin/library/asset/").content.decode()

    assert "4 assets" in page


def test_a_visitor_counts_as_a_view_of_someone_elses_shared_asset(client, user, two_libraries):
    *_, shared = two_libraries
    client.force_login(user)

    assert client.get(f"/s/{shared.share_token}/").status_code == 200

    assert Asset.objects.get(pk=shared.pk).share_views == 1
