"""Outages on the production layout: nothing stranded, no 500s, each charge exactly once.

Each test runs FAULT_ROUNDS rounds (10 unless set) against a stack of real processes
(tests/faults/stack.py): Redis stopped for 20 s, PostgreSQL stopped for 20 s, the worker's
main process SIGKILLed mid-job. Jobs are started before, during and after each outage through
the API, while pages and API lists are fetched throughout.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import requests

from .stack import Creator, Stack, missing

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(bool(missing()), reason=missing() or "ready"),
    # The stack's database is a copy of the test run's: it must have been built.
    pytest.mark.django_db,
]

ROUNDS = int(os.environ.get("FAULT_ROUNDS", "10"))
OUTAGE_S = 20
SETTLE_S = 150  # after an outage, every job must be finished within this
TERMINAL = {"succeeded", "failed", "canceled"}


@pytest.fixture(scope="module")
def stack(django_db_setup) -> Iterator[Stack]:
    running = Stack(slow_seconds=1.0).start()
    yield running
    running.stop()


@pytest.fixture
def creator(stack: Stack) -> Creator:
    creator = Creator(stack)
    creator.sign_in()
    return creator


class Watcher(threading.Thread):
    """Fetches every page and API list over and over, recording each answer."""

    def __init__(self, creator: Creator) -> None:
        super().__init__(daemon=True)
        self.creator = creator
        self.answers: list[tuple[str, int, str]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                for path, response in self.creator.look_around():
                    self.answers.append((path, response.status_code, response.headers.get("Retry-After", "")))
            except requests.RequestException as error:
                self.answers.append(("(no answer)", 0, str(error)))
            self.done.wait(0.5)

    def stop(self) -> list[tuple[str, int, str]]:
        self.done.set()
        self.join(30)
        return self.answers


def settle(stack: Stack, started: set[str]) -> dict[str, tuple[str, int]]:
    """Wait until every job started is finished (or the time is up); return them all."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        jobs = stack.jobs()
        if all(jobs[job_id][0] in TERMINAL for job_id in started) or time.monotonic() > deadline:
            return jobs
        time.sleep(1)


def assert_nothing_stranded(stack: Stack, started: set[str]) -> None:
    began = time.monotonic()
    jobs = settle(stack, started)
    outcome = Counter(jobs[job_id][0] for job_id in started)
    print(f"  {len(started)} jobs settled {time.monotonic() - began:.1f} s after the outage: {dict(outcome)}")
    ledger, assets = stack.ledger(), stack.assets()
    stranded = {job_id: jobs[job_id] for job_id in started if jobs[job_id][0] not in TERMINAL}
    assert not stranded, f"jobs left unfinished: {stranded}\n{stack.logs()}"
    for job_id, (status, cost) in jobs.items():
        if status == "succeeded":
            assert (ledger[job_id], assets.get(job_id, 0)) == (["charged"], cost), job_id
        else:
            assert (ledger[job_id], assets.get(job_id, 0)) == (["released"], 0), job_id


def start_jobs(creator: Creator, label: str, count: int = 2) -> set[str]:
    started = set()
    for index in range(count):
        response = creator.start_job(f"{label} {index}: neon ranked night")
        assert response.status_code == 201, response.text
        started.add(response.json()["id"])
    return started


def start_during(creator: Creator, label: str, seconds: float) -> tuple[set[str], Counter[int]]:
    """Try to start a job every two seconds for ``seconds``: each is accepted or refused (503)."""
    started: set[str] = set()
    answers: Counter[int] = Counter()
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        response = creator.start_job(f"{label} {index}: neon ranked night")
        answers[response.status_code] += 1
        if response.status_code == 201:
            started.add(response.json()["id"])
        else:
            assert response.status_code == 503, response.text
            assert response.headers["Retry-After"]
            # Said plainly: the job queue is paused (nothing charged) or the database is back soon.
            assert "try again" in response.json()["error"]["message"]
        index += 1
        time.sleep(2)
    return started, answers


def recovered(creator: Creator, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if creator.start_job("probe: is it back").status_code == 201:
            return
        time.sleep(0.5)
    raise AssertionError("the stack did not recover")


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_redis_stopped_for_20_seconds(stack: Stack, creator: Creator, round_: int) -> None:
    started = start_jobs(creator, f"redis {round_} before")
    watcher = Watcher(creator)
    watcher.start()
    stack.redis.stop()
    try:
        during, tried = start_during(creator, f"redis {round_} during", OUTAGE_S)
    finally:
        stack.redis.start()
    time.sleep(1)
    answers = watcher.stop()
    started |= during | start_jobs(creator, f"redis {round_} after")
    started |= {job_id for job_id in stack.jobs() if job_id not in started}  # the probe's, if any

    print(
        f"redis round {round_}: job starts during the outage {dict(tried)}; pages/API {len(answers)} answers"
    )
    # With Redis down, pages and the API lists kept answering (the cache fails open).
    assert answers
    assert {status for _, status, _ in answers} == {200}, Counter(answers)
    assert_nothing_stranded(stack, started)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_postgresql_stopped_for_20_seconds(stack: Stack, creator: Creator, round_: int) -> None:
    started = start_jobs(creator, f"postgres {round_} before")
    watcher = Watcher(creator)
    watcher.start()
    stack.postgres.stop()
    outage_ends = time.monotonic() + OUTAGE_S
    try:
        _, answers_during = start_during(creator, f"postgres {round_} during", OUTAGE_S - 2)
        time.sleep(max(outage_ends - time.monotonic(), 0))
    finally:
        answers = watcher.stop()
        stack.postgres.start()
    recovered(creator)
    started |= start_jobs(creator, f"postgres {round_} after")
    started = set(stack.jobs())

    pages = Counter(status for _, status, _ in answers)
    print(f"postgres round {round_}: job starts during {dict(answers_during)}; pages/API {dict(pages)}")
    # While the database was down every answer was a 503 with Retry-After, never a 500.
    assert set(answers_during) == {503}
    statuses = Counter(status for _, status, _ in answers)
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[503] > 0
    assert all(retry for _, status, retry in answers if status == 503)
    assert_nothing_stranded(stack, started)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_worker_parent_killed_mid_job(stack: Stack, creator: Creator, round_: int) -> None:
    (job_id,) = start_jobs(creator, f"kill {round_}", count=1)
    deadline = time.monotonic() + 60
    while stack.jobs()[job_id][0] != "running":
        assert time.monotonic() < deadline, stack.logs()
        time.sleep(0.1)

    killed = time.monotonic()
    stack.kill_worker_parent()
    stack.start_worker()  # the supervisor (compose, systemd) starts it again
    while stack.jobs()[job_id][0] not in TERMINAL and time.monotonic() - killed < 120:
        time.sleep(0.5)
    took = time.monotonic() - killed

    assert stack.jobs()[job_id][0] == "succeeded", stack.logs()
    print(f"worker parent killed, round {round_}: the job completed {took:.1f} s later")
    assert took <= 90, f"the job took {took:.0f} s to complete after its worker died"
    assert_nothing_stranded(stack, {job_id})
