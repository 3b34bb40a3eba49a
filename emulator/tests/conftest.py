from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import pytest

from zoom_client import ZoomClient, config
from zoomphone_emulator import run_emulator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


@pytest.fixture
def zoom() -> Iterator[Callable[..., ZoomClient]]:
    """Start an emulator (frozen clock, `config()` defaults plus overrides) and a client."""
    with contextlib.ExitStack() as stack:

        def start(**overrides: Any) -> ZoomClient:
            emu = stack.enter_context(run_emulator(config(**overrides)))
            client = ZoomClient(emu)
            stack.callback(client.close)
            return client

        yield start


@pytest.fixture
def api(zoom: Callable[..., ZoomClient]) -> ZoomClient:
    """A client of a default small account."""
    return zoom()
