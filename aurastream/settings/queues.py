"""Redis (cache, channel layer) and Celery (broker, queues, periodic work)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from celery.schedules import crontab

from .analytics import ANALYTICS_ROLLUP_SECONDS
from .environment import VAR_DIR, env
from .product import GENERATION_SWEEP_SECONDS

# --- Redis: cache, broker, channel layer ------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # The cache holds only what can be lost: rate-limit counters (the API's
                # throttles, allauth's and the coach's per-minute limits) and previews. With
                # Redis down or frozen it fails open (a read misses, a write is dropped, a
                # warning is logged) within half a second instead of failing the request.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "aurastream.outages"
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: an event is one PUBLISH, and Redis pushes it to every process
            # with a listener, where it waits in memory for its socket. channels-redis' list
            # layer costs three round trips a group_send, and each process drains its one
            # shared queue with a blocking pop per event: under a coach burst (hundreds of
            # replies streaming in one process) that queue was where first tokens waited
            # (docs/BENCHMARKS.md). Live events only need to reach who listens now: a page
            # that was away reloads the history (the coach's replies are saved as they stream,
            # notifications are rows first).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Pub/sub channels belong to the whole Redis server, not to the URL's database:
            # the prefix keeps two apps on one server (staging and production on databases
            # 1 and 2, say) from hearing each other's events.
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": f"aurastream:{urlsplit(REDIS_URL).path.strip('/') or 0}:",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
    }
# Websocket handlers run their database calls on a pool of this many threads per daphne
# process (aurastream.sockets), which also caps that process's database connections. 0: 8 on
# PostgreSQL, 1 on SQLite (one writer at a time anyway).
WEBSOCKET_DB_THREADS = env.int("WEBSOCKET_DB_THREADS", default=0)

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Must exceed the hard time limit, or Redis redelivers a task that is still running.
        # A task whose worker died is redelivered after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
        # Look for such abandoned tasks every 10 s (kombu's default scans every 100 s).
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 2,
    }
    # Publishing gives up within a second or two when Redis is down (the default retries
    # could hold a request for longer); a job that wasn't sent is sent by the sweep.
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables; kombu would otherwise write them to ./control.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # The default 1 s polling makes every task wait about half a second.
        "polling_interval": 0.05,
    }
CELERY_TASK_DEFAULT_QUEUE = "default"
# Paid plans' jobs go to `priority`, which has its own workers in production.
CELERY_TASK_QUEUES_NAMES = ("priority", "default")
# Every worker takes `priority`: the sweep and failing-and-refunding don't wait behind a
# backlog of Free-plan jobs.
CELERY_TASK_ROUTES = {
    "generation.jobs_sweep": {"queue": "priority"},
    "generation.job_fail": {"queue": "priority"},
}
# Lose no work: acknowledge after the task ran, requeue when a worker dies mid-task, and
# let each worker process hold only the task it is running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = "UTC"
# Periodic work; `serve` runs beat inside its worker, Compose runs a `beat` service.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The library: deleted assets and collections leave once their undo window has passed;
    # Free-plan assets leave after their retention period, with an email some days before.
    "library-purge-deleted": {"task": "library.purge_deleted", "schedule": timedelta(minutes=5)},
    # Deleted brand kits and creator images leave once the same undo window has passed.
    "brandkits-purge-deleted": {"task": "brandkits.purge_deleted", "schedule": timedelta(minutes=5)},
    # Deleted coach sessions, with their messages, too.
    "coach-purge-deleted": {"task": "coach.purge_deleted", "schedule": timedelta(minutes=5)},
    "library-expire-assets": {"task": "library.expire_assets", "schedule": crontab(hour=3, minute=0)},
    "library-send-expiry-notices": {
        "task": "library.send_expiry_notices",
        "schedule": crontab(hour=3, minute=30),
    },
    # Generation: re-send jobs the broker lost, re-queue (or fail and refund) jobs whose
    # worker died, every GENERATION_SWEEP_SECONDS (product.py).
    "generation-jobs-sweep": {
        "task": "generation.jobs_sweep",
        "schedule": timedelta(seconds=GENERATION_SWEEP_SECONDS),
    },
    # Webhooks: send again deliveries whose message was lost or whose attempt died.
    "webhooks-deliveries-sweep": {"task": "webhooks.deliveries_sweep", "schedule": timedelta(minutes=1)},
    # ...and forget events and their delivery log after 30 days.
    "webhooks-events-forget": {"task": "webhooks.events_forget", "schedule": crontab(hour=4, minute=0)},
    # Analytics: buffered page views and product events into PostgreSQL, then raw events
    # past ANALYTICS_RAW_DAYS removed (daily roll-ups stay).
    "analytics-rollup": {"task": "analytics.rollup", "schedule": timedelta(seconds=ANALYTICS_ROLLUP_SECONDS)},
    "analytics-purge": {"task": "analytics.purge", "schedule": crontab(minute=15)},
}
