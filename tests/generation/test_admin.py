from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest
from tests.factories import AssetFactory, GenerationJobFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST = JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=5)
JOBS = "/admin/generation/generationjob/"


def test_staff_filter_jobs_and_read_the_recipe(staff_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.job_create(user=user, request=REQUEST)

    listing = staff_client.get("/admin/generation/generationjob/", {"status__exact": "succeeded"})
    detail = staff_client.get(f"/admin/generation/generationjob/{job.pk}/change/")

    assert str(job.pk)[:8] in listing.content.decode()
    assert re.search(rf"<dt>Seed</dt>\s*<dd>{job.items[0]['seed']}</dd>", detail.content.decode())


def test_staff_cancel_and_retry(staff_client, user, django_capture_on_commit_callbacks):
    job, _ = services.job_create(user=user, request=REQUEST)

    staff_client.post(
        "/admin/generation/generationjob/", {"action": "cancel_jobs", "_selected_action": [str(job.pk)]}
    )
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.CANCELED

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/generation/generationjob/", {"action": "retry_jobs", "_selected_action": [str(job.pk)]}
        )
    retried = GenerationJob.objects.exclude(pk=job.pk).get()
    assert (retried.seed, retried.status) == (job.seed, GenerationJob.Status.SUCCEEDED)


def test_a_retry_that_can_no_longer_be_made_is_reported(staff_client, user):
    job, _ = services.job_create(user=user, request=REQUEST)
    services.job_cancel(job=job)
    GenerationJob.objects.filter(pk=job.pk).update(spec_key="twitch.retired_type")

    response = staff_client.post(
        "/admin/generation/generationjob/",
        {"action": "retry_jobs", "_selected_action": [str(job.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Job {job.pk}: Pick a platform and asset type from the list." in page
    assert "Queued 0 job(s) again." in page
    assert GenerationJob.objects.count() == 1


def test_creators_cannot_reach_job_admin(auth_client):
    response = auth_client.get("/admin/generation/generationjob/")

    assert response.status_code == 404


def test_the_job_list_shows_each_jobs_first_asset(staff_client, user, django_assert_max_num_queries):
    job = GenerationJobFactory(user=user, prompt="a neon cat")
    AssetFactory(owner=user, source_job_id=job.pk, source_item=1, title="Second", sizes=(28,))
    first = AssetFactory(owner=user, source_job_id=job.pk, source_item=0, title="First", sizes=(256, 112))
    waiting = GenerationJobFactory(user=user, status=GenerationJob.Status.QUEUED)
    with CaptureQueriesContext(connection) as two_jobs:
        staff_client.get(JOBS)
    for _ in range(18):
        made = GenerationJobFactory(user=UserFactory())
        AssetFactory(owner=made.user, source_job_id=made.pk, sizes=(28,))

    with django_assert_max_num_queries(len(two_jobs)):
        page = staff_client.get(JOBS).content.decode()

    assert f'<img class="ops-thumb" src="/admin/library/asset/{first.pk}/files/256/"' in page
    assert page.count('<img class="ops-thumb"') == 19
    assert f"{JOBS}{waiting.pk}/change/" in page
    assert "no asset" in page


def test_the_job_page_reads_its_recipe_in_words(staff_client, user, django_capture_on_commit_callbacks):
    request = JobRequest(spec_key="youtube.thumbnail", prompt='Café night, 1280×720 "LIVE"', seed=9)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.job_create(user=user, request=request)

    page = staff_client.get(f"{JOBS}{job.pk}/change/").content.decode()

    assert "\\u00d7" not in page
    assert re.search(r"<dt>Prompt</dt>\s*<dd>Café night, 1280×720 &quot;LIVE&quot;</dd>", page)
    assert re.search(r"<h4>Brand kit</h4>\s*<dl>\s*<dt>Name</dt>", page)
