from __future__ import annotations

import pytest

from aurastream import events


@pytest.fixture(autouse=True)
def empty_buffer():
    """Each test starts and ends with an empty analytics buffer, and today's salt forgotten."""
    events.reset()
    events.forget_salts()
    events.buffer().clear()
    yield
    events.reset()  # the run's own settings again
    events.forget_salts()
    events.buffer().clear()
