"""The Celery app. Workers run `celery -A aurastream worker -Q priority,default`."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from celery.signals import before_task_publish
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")

ACTING_USER_HEADER = "acting_user_id"


class ActingUserTask(Task):
    """Runs each task in a transaction acting for the user who queued it.

    A task that reports progress as it goes sets ``acting_user_transaction = False`` and opens
    ``aurastream.db.acting_user`` around each step itself, so every step commits on its own.
    """

    acting_user_transaction = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .db import _acting_user_id, acting_user, current_acting_user_id

        user_id = getattr(self.request, ACTING_USER_HEADER, None)
        if user_id is None:
            user_id = (self.request.headers or {}).get(ACTING_USER_HEADER)
        if user_id is None:
            # Run eagerly in the caller's process: the caller's user applies.
            user_id = current_acting_user_id()
        if not self.acting_user_transaction:
            token = _acting_user_id.set(user_id)
            try:
                return super().__call__(*args, **kwargs)
            finally:
                _acting_user_id.reset(token)
        with acting_user(user_id):
            return super().__call__(*args, **kwargs)


app = Celery("aurastream", task_cls=ActingUserTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("priority"), Queue("default"))
app.autodiscover_tasks()


@before_task_publish.connect
def carry_acting_user(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """Stamp every queued task with the user whose request or task queued it."""
    from .db import current_acting_user_id

    if headers is not None and ACTING_USER_HEADER not in headers:
        headers[ACTING_USER_HEADER] = current_acting_user_id()


@app.task(name="aurastream.ping")
def ping() -> str:
    """Round trip used by the readiness check's tests and the worker smoke test."""
    return "pong"
