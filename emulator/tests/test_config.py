"""EmulatorConfig: validation and JSON-like input of the settings."""

from __future__ import annotations

from typing import Any

import pytest

from zoomphone_emulator import Emulator, EmulatorConfig
from zoomphone_emulator.config import LABELLED_ROUTES
from zoomphone_emulator.routes import ROUTES


def test_labelled_routes_are_the_rate_limited_routes() -> None:
    assert tuple(r.name for r in ROUTES if r.label is not None) == LABELLED_ROUTES


def test_every_labelled_route_has_a_handler_in_the_route_table() -> None:
    handlers = Emulator(EmulatorConfig(users=2, calls_per_user=5)).handlers

    assert tuple(handlers.table) == LABELLED_ROUTES


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


def test_from_mapping_accepts_the_account_sizes_and_retired_routes() -> None:
    config = EmulatorConfig.from_mapping(
        {
            "recording_share": 0.5,
            "voicemail_share": 0.2,
            "sms_sessions_per_user": 4,
            "sms_per_session": 10,
            "sites": 3,
            "call_queues": 5,
            "auto_receptionists": 3,
            "common_areas": 2,
            "shared_line_groups": 1,
            "devices": 30,
            "retired": ["account_call_logs", "user_call_logs_sync"],
        }
    )

    assert config.retired == ("account_call_logs", "user_call_logs_sync")
    assert (config.sites, config.devices, config.sms_sessions_per_user) == (3, 30, 4)


def test_default_account_sizes_are_small() -> None:
    config = EmulatorConfig()

    assert (config.recording_share, config.voicemail_share) == (0.3, 0.1)
    assert (config.sms_sessions_per_user, config.sms_per_session) == (40, 4)
    assert config.sites is None
    assert (config.call_queues, config.auto_receptionists, config.common_areas) == (3, 2, 3)
    assert (config.shared_line_groups, config.devices, config.retired) == (2, 12, ())


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"recording_share": 1.5}, "recording_share"),
        ({"voicemail_share": -0.1}, "voicemail_share"),
        ({"sms_per_session": 0}, "sms_per_session"),
        ({"sites": 0}, "sites"),
        ({"call_queues": 51}, "call_queues"),
        ({"auto_receptionists": 0}, "auto_receptionists"),
        ({"common_areas": -1}, "common_areas"),
        ({"devices": -1}, "devices"),
        ({"retired": ["oauth"]}, "retired"),
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
