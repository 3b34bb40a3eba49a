"""The command line as the SDK provides it: discovery, --test, --about, --version."""

from __future__ import annotations

import json

from tests.tapruns import emulator_config, run_tap
from zoomphone_emulator import Fault


def test_discover_prints_a_catalog_with_every_stream_and_schema(emulator):
    run = run_tap(emulator_config(emulator), args=("--discover",))
    assert run.returncode == 0, run.stderr
    catalog = run.messages[0]
    streams = {entry["tap_stream_id"]: entry for entry in catalog["streams"]}
    assert streams["call_logs"]["key_properties"] == ["id"]
    properties = streams["call_logs"]["schema"]["properties"]
    assert properties["date_time"]["format"] == "date-time"
    assert "accepted_by" in properties
    assert emulator.stats()["requests_total"] == 0  # discovery asks Zoom nothing


def test_discover_needs_no_credentials(emulator):
    run = run_tap({}, args=("--discover",))
    assert run.returncode == 0, run.stderr


def test_connection_test_reads_one_record_per_stream(emulator):
    run = run_tap(emulator_config(emulator), args=("--test",))
    assert run.returncode == 0, run.stderr
    assert len(run.records("call_logs")) == 1
    assert len(run.records("phone_users")) == 1


def test_schema_test_writes_schemas_only(emulator):
    run = run_tap(emulator_config(emulator), args=("--test=schema",))
    assert run.returncode == 0, run.stderr
    assert {m["type"] for m in run.messages} == {"SCHEMA"}
    assert emulator.stats()["requests_total"] == 0


def test_about_and_version(emulator):
    about = run_tap({}, args=("--about", "--format=json"))
    assert about.returncode == 0
    info = json.loads(about.stdout)
    assert info["name"] == "tap-zoomphone"
    assert info["settings"]["properties"]["client_secret"]["secret"] is True
    assert "batch" not in info["capabilities"]
    version = run_tap({}, args=("--version",))
    assert version.returncode == 0
    assert "tap-zoomphone" in version.stdout


def test_nothing_secret_even_at_debug_level(emulator):
    emulator.add_fault(Fault(kind="token_expiry", after=3, count=1))
    emulator.add_fault(Fault(kind="status", status=503, after=5, count=1))
    run = run_tap(
        emulator_config(emulator),
        env={"TAP_ZOOMPHONE_LOGLEVEL": "DEBUG", "LOGLEVEL": "DEBUG"},
    )
    assert run.returncode == 0, run.stderr
    assert "DEBUG" in run.stderr
    output = run.stdout + run.stderr
    assert "emulator-secret" not in output
    for token in emulator.issued_tokens():
        assert token not in output
    assert "Bearer" not in output
    assert "Basic " not in output
