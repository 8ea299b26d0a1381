"""Comparing two versions of an asset: the earlier one is always "before"."""

from __future__ import annotations

import pytest

from tests.factories import make_assets

pytestmark = pytest.mark.django_db


def two_versions(owner):
    first, second = make_assets(owner, 2, title="Cat emote")
    first.is_current = False
    first.save(update_fields=["is_current"])
    second.family_id, second.version = first.pk, 2
    second.refine_note = {"from": str(first.pk), "instruction": "brighter", "applied": ["Brighter"]}
    second.save(update_fields=["family_id", "version", "refine_note"])
    return first, second


@pytest.mark.parametrize("start", ["first", "second"])
def test_the_earlier_version_is_before_whichever_page_the_comparison_starts_from(auth_client, user, start):
    first, second = two_versions(user)
    here, other = (first, second) if start == "first" else (second, first)

    page = auth_client.get(f"/library/assets/{here.pk}/compare/?with={other.pk}").content.decode()

    assert "Before: version 1" in page
    assert "After: version 2" in page
    assert "Before: version 2" not in page
    # The way back leads to the version the comparison started from.
    back = f'href="/library/assets/{here.pk}/" class="btn btn-secondary">Back to version {here.version}'
    assert back in page
