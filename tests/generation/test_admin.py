from __future__ import annotations

import re

import pytest

from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest

pytestmark = pytest.mark.django_db

REQUEST = JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=5)


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
