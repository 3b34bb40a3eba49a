"""EmulatorConfig: validation and JSON-like input of the settings."""

from __future__ import annotations

from typing import Any

import pytest

from zoomphone_emulator import EmulatorConfig
from zoomphone_emulator.api import ROUTES
from zoomphone_emulator.config import LABELLED_ROUTES


def test_labelled_routes_are_the_rate_limited_routes() -> None:
    assert tuple(r.name for r in ROUTES if r.label is not None) == LABELLED_ROUTES


def test_from_mapping_accepts_the_sync_and_label_settings() -> None:
    config = EmulatorConfig.from_mapping(
        {
            "bsync_days": 30,
            "bsync_served": False,
            "daily_headers": True,
            "labels": {"user_call_logs": "Medium", "users": "Heavy"},
        }
    )

    assert (config.bsync_days, config.bsync_served, config.daily_headers) == (30, False, True)
    assert config.labels == {"user_call_logs": "Medium", "users": "Heavy"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"bsync_days": -1}, "bsync_days"),
        ({"labels": {"oauth": "Light"}}, "unknown route 'oauth'"),
        ({"labels": {"call_logs": "Heavy"}}, "unknown route 'call_logs'"),
        ({"labels": {"users": "Resource-intensive"}}, r"labels\['users'\]"),
        ({"labels": ["users", "Heavy"]}, "mapping"),
    ],
)
def test_bad_settings_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EmulatorConfig.from_mapping(values)
