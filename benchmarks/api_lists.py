"""What a page of the generations list costs: queries, bytes and time per request.

Builds a creator with 1,000 jobs (single thumbnails and emotes, emote packs, badge sets,
banners, failed jobs: 1,700 library assets, 4,100 files' rows; no files) next to a second
creator with as many, then fetches ``GET /api/v1/generations/`` through the whole stack
(Django's test client: middleware, bearer-token authentication, the acting user, DRF) and
prints per page: the queries it ran, its bytes and the median and p95 time over a number of
fetches, for the first page and a deep one, at the default and the largest page size. The
last row is the list as it was before it was paginated (50 jobs with every asset, file and
check), served by a copy of that view, for comparison.

    DATABASE_URL=postgres://aurastream_owner@127.0.0.1:5432/aurastream_bench_api \\
    DATABASE_APP_ROLE=aurastream .venv/bin/python benchmarks/api_lists.py

It migrates the database it is pointed at and builds its rows as the owner; with
DATABASE_APP_ROLE it then serves the requests as that role, so row-level security binds them
as in production. Point it at a scratch database, never production. A second run reuses the
rows (``--rebuild`` makes them again). Without DATABASE_URL it runs on SQLite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
# One client asks hundreds of times a minute: the per-user throttle would answer 429.
os.environ.setdefault("API_THROTTLE_USER", "1000000/min")
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient

from accounts.models import User
from aurastream.api.tokens import BoundRefreshToken
from aurastream.db import acting_user, system_work
from aurastream.types import request_user
from generation import selectors
from generation.api.serializers import GenerationJobSerializer
from generation.models import GenerationJob
from library.models import Asset, Rendition
from workspaces.models import fill_workspaces

HOST = "127.0.0.1"
EMAIL = "benchmark-lists@aurastream.local"
OTHER_EMAIL = "benchmark-lists-other@aurastream.local"
URL = "/api/v1/generations/"
OLD_URL = "/bench/generations-unpaginated/"

# Ten jobs, repeated: (spec, pack, assets, files per asset as (label, width, height), failed).
THUMBNAIL = ("youtube.thumbnail", "", 1, (("1280x720", 1280, 720),), False)
EMOTE_FILES = (("112", 112, 112), ("56", 56, 56), ("28", 28, 28))
BADGE_FILES = (("72", 72, 72), ("36", 36, 36), ("18", 18, 18))
MIX = (
    THUMBNAIL, THUMBNAIL, THUMBNAIL, THUMBNAIL,
    ("twitch.emote", "", 1, EMOTE_FILES, False),
    ("twitch.emote", "", 1, EMOTE_FILES, False),
    ("twitch.emote", "emote_pack", 6, EMOTE_FILES, False),
    ("twitch.sub_badge", "badge_set", 4, BADGE_FILES, False),
    ("twitch.profile_banner", "", 1, (("1200x480", 1200, 480),), False),
    ("youtube.thumbnail", "", 0, (), True),
)  # fmt: skip
PROMPTS = (
    '"RANKED GRIND" neon fox holding a trophy, rainy cyberpunk city at night',
    "cute fox mascot, big eyes, waving",
    "me winning the final round, shocked face, red arrow to the scoreboard",
    "cosy pastel bedroom stream setup with plants and fairy lights",
)


def _check(code: str, message: str, value: float | None = None, limit: float | None = None) -> dict:
    return {"code": code, "ok": True, "message": message, "value": value, "limit": limit, "severity": "info"}


def _file_checks(width: int, height: int) -> list[dict]:
    """What the engine reports for one file (about 480 bytes of JSON)."""
    return [
        _check("dimensions", f"{width}×{height} px", float(width), float(width)),
        _check("format", "PNG file"),
        _check("bytes", "13.0 KB of the 25.0 KB limit.", 12959.0, 25000.0),
        _check("transparency", "Transparent background."),
    ]


def _asset_checks(width: int, height: int) -> list[dict]:
    """What the engine reports for an asset (about 1.8 KB of JSON for an emote)."""
    return [
        _check("cutout", "The background is cut out.", 0.369, 0.05),
        _check("legibility_light", "Reads well at 28 px on light chat.", 1.0, 0.5),
        _check("legibility_dark", "Reads well at 28 px on dark chat.", 1.0, 0.5),
        _check("safe_zone", "Everything important is inside the safe zone."),
        *_file_checks(width, height),
        _check("contrast", "The words stand out from the art (7.1:1).", 7.1, 4.5),
        _check("keep_clear", "Nothing sits under the platform's own marks."),
    ]


def _reading(prompt: str) -> dict:
    return {
        "subjects": ["fox"], "accessories": [{"concept": "trophy", "place": "hand"}], "expression": "",
        "colours": [["neon", "#39FF14"]], "styles": ["neon"], "layout": "big_subject", "number": "",
        "mood": "", "weather": "rain", "text": "RANKED GRIND", "unused": prompt.split()[-2:],
    }  # fmt: skip


def _item(spec: str, prompt: str, seed: int) -> dict:
    """One item of a job's recipe, as the job service keeps it."""
    return {
        "spec": spec, "prompt": prompt, "text": "", "base": "", "subtext": "", "tier": None,
        "negative_prompt": "", "seed": seed, "media": [], "reading": _reading(prompt),
    }  # fmt: skip


def build(user: User, jobs: int) -> None:
    """``jobs`` jobs of ``user`` over the last half year, newest last, with their library rows."""
    GenerationJob.objects.filter(user=user).delete()
    Asset.objects.filter(owner=user).delete()
    start = timezone.now() - dt.timedelta(days=180)
    step = dt.timedelta(days=180) / jobs
    brand = {
        "colors": {"primary": "#8E24AA", "secondary": "#00BCD4", "accent": "#FFC107"},
        "fonts": {"headline": "Bebas Neue", "body": "Inter"},
        "style": "neon",
        "logo": None,
        "name": "Fox Den",
    }
    made: list[GenerationJob] = []
    outputs: list[tuple[int, tuple]] = []
    for index in range(jobs):
        spec, pack, assets, _files, failed = kind = MIX[index % len(MIX)]
        prompt = PROMPTS[index % len(PROMPTS)]
        items = max(assets, 1)
        created = start + index * step
        made.append(
            GenerationJob(
                user=user,
                status=GenerationJob.Status.FAILED if failed else GenerationJob.Status.SUCCEEDED,
                stage=GenerationJob.Stage.RENDERING if failed else GenerationJob.Stage.DONE,
                progress=40 if failed else 100,
                error="The image service is busy right now; nothing was charged." if failed else "",
                spec_key=spec,
                prompt=prompt,
                text="RANKED GRIND" if spec == "youtube.thumbnail" else "",
                pack=pack,
                seed=index,
                items=[_item(spec, prompt, index * 10 + item) for item in range(items)],
                brand_snapshot=brand,
                provider="local",
                model="local",
                cost=items,
                started_at=created,
                finished_at=created + dt.timedelta(seconds=2),
            )
        )
        outputs.append((index, kind))
    fill_workspaces(made)
    GenerationJob.objects.bulk_create(made, batch_size=500)
    for index, job in enumerate(made):
        job.created_at = start + index * step
    GenerationJob.objects.bulk_update(made, ["created_at"], batch_size=500)

    library: list[Asset] = []
    files: list[tuple[Asset, tuple]] = []
    for index, (spec, _pack, count, renditions, _failed) in outputs:
        job = made[index]
        platform, asset_type = spec.split(".")
        for item in range(count):
            _label, width, height = renditions[0]
            asset = Asset(
                owner=user,
                title=f"{spec} · {job.prompt[:40]}",
                spec_key=spec,
                platform=platform,
                asset_type=asset_type,
                width=width,
                height=height,
                format="PNG",
                bytes=width * height // 2,
                recipe={"prompt": job.prompt, "seed": job.seed + item, "provider": "local", "brand": brand},
                checks=_asset_checks(width, height),
                source_job_id=job.pk,
                source_item=item,
                prompt=job.prompt,
            )
            library.append(asset)
            files.extend((asset, rendition) for rendition in renditions)
    fill_workspaces(library)
    Asset.objects.bulk_create(library, batch_size=500)
    Rendition.objects.bulk_create(
        [
            Rendition(
                asset=asset,
                label=label,
                width=width,
                height=height,
                format="PNG",
                bytes=width * height // 3,
                file=f"assets/{user.pk}/{asset.pk}/{label}.png",
                checks=_file_checks(width, height),
            )
            for asset, (label, width, height) in files
        ],
        batch_size=1000,
    )


def creator(email: str, jobs: int, rebuild: bool) -> User:
    with system_work():
        user, _ = User.objects.get_or_create(email=email)
        if rebuild or GenerationJob.objects.filter(user=user).count() != jobs:
            build(user, jobs)
            # The planner's statistics, as autovacuum keeps them on a database in use.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE generation_generationjob")
                cursor.execute("ANALYZE library_asset")
                cursor.execute("ANALYZE library_rendition")
    return user


@api_view(["GET"])
def generation_list_unpaginated(request: Request) -> Response:
    """The list as it was before it was paginated: 50 jobs, everything nested."""
    jobs = list(selectors.job_list(user=request_user(request))[:50])
    assets = selectors.job_assets_by_job(jobs=jobs)
    return Response(
        GenerationJobSerializer(jobs, many=True, context={"request": request, "assets": assets}).data
    )


urlpatterns = [
    path(OLD_URL.strip("/") + "/", generation_list_unpaginated),
    path("", include("aurastream.urls")),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def page_url(client: APIClient, page_size: int | None, page: int) -> str:
    """The URL of the ``page``-th page (1: the first), reached by following ``next``."""
    url = URL if page_size is None else f"{URL}?page_size={page_size}"
    for _ in range(page - 1):
        url = client.get(url).json()["next"]
    return url


def measure(client: APIClient, url: str, fetches: int) -> dict[str, float]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # the next request empties the log
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    for _ in range(3):  # warm up
        client.get(url)
    times = []
    for _ in range(fetches):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return {
        "jobs": len(body["results"] if isinstance(body, dict) else body),
        "queries": query_count,
        "bytes": len(response.content),
        "p50": statistics.median(times) * 1000,
        "p95": percentile(times, 0.95) * 1000,
    }


def explain(user: User, page_size: int) -> str:
    with acting_user(user.pk):
        jobs = selectors.job_summaries(user=user)[: page_size + 1]
        return jobs.explain(analyze=True) if connection.vendor == "postgresql" else jobs.explain()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000, help="jobs of the measured creator")
    parser.add_argument("--fetches", type=int, default=50, help="timed fetches of each page")
    parser.add_argument("--rebuild", action="store_true", help="make the rows again")
    parser.add_argument("--explain", action="store_true", help="print the page query's plan")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    user = creator(EMAIL, args.jobs, args.rebuild)
    creator(OTHER_EMAIL, args.jobs, args.rebuild)
    with system_work():
        token = str(BoundRefreshToken.for_user(user).access_token)
        counts = (
            Asset.objects.filter(owner=user).count(),
            Rendition.objects.filter(asset__owner=user).count(),
        )
    built = time.perf_counter() - started

    role = settings.DATABASE_APP_ROLE
    if connection.vendor == "postgresql" and role and role != connection.settings_dict["USER"]:
        # Serve as the app's role: row-level security binds every request, as in production.
        connections.close_all()
        connection.settings_dict["USER"] = role
        connection.settings_dict["PASSWORD"] = os.environ.get("DATABASE_APP_PASSWORD", "")
    settings.ROOT_URLCONF = __name__
    client = APIClient(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")

    default, largest = 20, 100
    rows = [
        ("first page, default size", default, 1),
        ("deep page, default size", default, round(0.8 * args.jobs / default)),
        ("first page, largest size", largest, 1),
        ("deep page, largest size", largest, round(0.8 * args.jobs / largest)),
    ]
    results = []
    for name, size, page in rows:
        url = page_url(client, None if size == default else size, page)
        results.append((f"{name} (page {page})", measure(client, url, args.fetches)))
    results.append(("before: unpaginated, all nested", measure(client, OLD_URL, args.fetches)))

    database = "sqlite"
    if connection.vendor == "postgresql":
        database = f"postgresql as {connection.settings_dict['USER']}"
    print(
        f"{args.jobs} jobs ({counts[0]} assets, {counts[1]} files' rows) of one creator, "
        f"as many of another; database={database}; {args.fetches} timed fetches a row "
        f"(rows {'built' if built > 1 else 'reused'} in {built:.1f} s)"
    )
    print(f"{'':46}{'jobs':>6}{'queries':>9}{'bytes':>10}{'p50 ms':>9}{'p95 ms':>9}")
    for name, figures in results:
        print(
            f"{name:46}{figures['jobs']:>6}{figures['queries']:>9}{figures['bytes']:>10,}"
            f"{figures['p50']:>9.1f}{figures['p95']:>9.1f}"
        )
    if args.explain:
        print()
        print(explain(user, largest))


if __name__ == "__main__":
    main()
