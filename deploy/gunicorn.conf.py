"""Gunicorn settings for the `web` service: WSGI workers serving pages and the API.

Run as ``gunicorn aurastream.wsgi:application -c deploy/gunicorn.conf.py``. Websockets and
server-sent events never reach these workers: the reverse proxy sends them to daphne.
Every value can be tuned from the environment without rebuilding the image.
"""

from __future__ import annotations

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
# Recycle workers now and then so a slow leak in a dependency never grows without bound; the
# jitter keeps them from all restarting at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

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
