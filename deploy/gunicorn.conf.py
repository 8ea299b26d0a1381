"""Gunicorn settings for the `web` service: WSGI workers serving pages and the API.

Run as ``gunicorn aurastream.wsgi:application -c deploy/gunicorn.conf.py``. Websockets and
server-sent events never reach these workers: the reverse proxy sends them to daphne.
Every value can be tuned from the environment without rebuilding the image. The app is
preloaded in the arbiter, so workers start (and restart) by forking, and a recycled worker
leaves at once; GUNICORN_PRELOAD=0 gives gunicorn's stock behaviour.
"""

from __future__ import annotations

import gc
import math
import os
from pathlib import Path

# Each worker is a full Django process (~100 MB): a big host must not get dozens of them
# unasked. WEB_CONCURRENCY overrides the default without any bound.
MAX_DEFAULT_WORKERS = 8


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _available_cpus() -> int:
    """CPUs this container may use: its cpuset, narrowed by a cgroup v2 quota (``--cpus``)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
    except (OSError, ValueError):
        return cpus
    if quota != "max":
        cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    return cpus


def default_workers() -> int:
    """The usual ``2 × cores + 1``, at least 2 and at most MAX_DEFAULT_WORKERS."""
    return max(2, min(2 * _available_cpus() + 1, MAX_DEFAULT_WORKERS))


# The proxy reaches us over the compose network; nothing else publishes this port.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _env_int("WEB_CONCURRENCY", 0) or default_workers()
# GUNICORN_THREADS > 1 switches the sync worker to gthread (threads share a worker's memory).
threads = _env_int("GUNICORN_THREADS", 1)

# A request that takes longer than this is stuck: the worker is killed and replaced. Real work
# (renders, zips) runs in Celery, so pages and API calls answer well inside it.
timeout = _env_int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (deploys, `docker compose stop`) workers finish their requests for this long.
# Compose's stop_grace_period for `web` is longer, so Docker does not SIGKILL them first.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Only gthread workers keep connections open; the sync worker closes each one (nginx copes).
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# The app is imported once, in the arbiter, and every worker is forked from it ready to serve:
# a new worker costs a fork instead of ~1.8 s of CPU importing Django and the apps, which on a
# small host stalled every request while workers restarted (benchmarks/pages.py --soak).
# Nothing opens a database connection at import (a test holds it); pre_fork closes any anyway.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {"0", "false", "no", "off"}
# Recycle workers now and then so a slow leak in a dependency never grows without bound. Each
# worker draws its limit from max_requests to twice that, so workers that started together
# (they share the load evenly) restart far apart, never all at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", max_requests)


def pre_fork(server: object, worker: object) -> None:
    """Close the arbiter's database connections (there should be none) before each fork, so no
    worker inherits, and shares, one of its sockets; and move everything the preloaded app made
    (modules, settings, compiled URL patterns) out of the garbage collector's sight, so a
    worker's collections walk only what its requests make, and leave those pages shared with
    the arbiter instead of copying them (``gc.freeze``)."""
    if preload_app:
        from django.db import connections

        connections.close_all()
        gc.collect()
        gc.freeze()


def worker_exit(server: object, worker: object) -> None:
    """A worker that is done (recycled, or stopped with the rest) leaves without tearing the
    interpreter down: freeing a full Django process object by object took 4–8 s on a
    busy 2-core host, and its replacement is only forked once it has gone, so a recycled
    worker's slot stood empty that long (benchmarks/pages.py --soak). Its log lines are flushed
    and its database connections closed first; a worker that failed (any other exit code,
    which the arbiter reads to stop a crash loop) exits the usual way."""
    import logging
    import sys

    leaving = sys.exc_info()[1]
    if not preload_app or not isinstance(leaving, SystemExit) or leaving.code not in (0, None):
        return  # GUNICORN_PRELOAD=0 is gunicorn's stock behaviour throughout
    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# Worker heartbeats live in memory: on Docker's overlay filesystem a heartbeat file can stall
# long enough for the arbiter to think a healthy worker hung.
if Path("/dev/shm").is_dir():  # noqa: S108 - only gunicorn's heartbeat files, made safely by gunicorn
    worker_tmp_dir = "/dev/shm"  # noqa: S108 - only gunicorn's heartbeat files, made safely by gunicorn

# The proxy is the only client and it sets X-Forwarded-Proto/For itself (overwriting what the
# browser sent), so any peer on the private network may pass them. Outside compose, set
# FORWARDED_ALLOW_IPS to the proxy's address (gunicorn accepts IPs, not networks).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

# Logs go to the container's stdout/stderr, where `docker compose logs` and any log driver
# pick them up. The access line carries the client address the proxy saw and the duration.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(M)sms'
proc_name = "aurastream-web"
