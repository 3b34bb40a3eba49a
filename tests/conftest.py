from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.tapruns import CLOCK_START
from zoomphone_emulator import Emulator, EmulatorConfig, run_emulator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    """Start emulators on 127.0.0.1 for one test; all are stopped afterwards."""
    started = []

    def start(**config: Any) -> Emulator:
        # A frozen clock keeps the ground truth still while a run reads it; tests advance it.
        config.setdefault("frozen", True)
        # A fixed start: what happens in the account never depends on the day the suite runs.
        config.setdefault("clock_start", CLOCK_START)
        # Unlimited unless a test is about rate limits, so request counts are exact.
        config.setdefault("plan", "off")
        context = run_emulator(EmulatorConfig(**config))
        emulator = context.__enter__()
        started.append(context)
        return emulator

    yield start
    for context in reversed(started):
        context.__exit__(None, None, None)


@pytest.fixture
def emulator(emulator_factory: Callable[..., Emulator]) -> Emulator:
    """A small account: 6 users, about 400 calls each over the readable history."""
    return emulator_factory(seed=11, users=6, calls_per_user=400, plan="off")
