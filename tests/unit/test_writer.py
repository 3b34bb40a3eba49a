"""Singer lines as a target reads them: numbers stay JSON numbers, whatever type held them."""

from __future__ import annotations

import json
from decimal import Decimal

from singer_sdk.singerlib import RecordMessage, SchemaMessage, StateMessage

from tap_zoomphone.output.writer import OrjsonWriter
from tap_zoomphone.tap import TapZoomPhone


def line(message):
    return OrjsonWriter().format_message(message)


def test_decimals_in_a_record_are_written_as_numbers_digits_as_given():
    written = line(RecordMessage(stream="sites", record={"id": "s", "rate": Decimal("1.50")}))
    assert b'"rate":1.50' in written
    assert json.loads(written)["record"]["rate"] == 1.5


def test_decimals_json_cannot_hold_become_null():
    record = {"nan": Decimal("NaN"), "inf": Decimal("-Infinity"), "tiny": Decimal("1E-7")}
    parsed = json.loads(line(RecordMessage(stream="sites", record=record)))["record"]
    assert parsed == {"nan": None, "inf": None, "tiny": 1e-7}


def test_decimals_read_from_state_and_catalog_files_stay_numbers():
    # The SDK reads --state and --catalog files with floats as Decimal.
    state = json.loads(line(StateMessage(value={"bookmarks": {"x": {"share": Decimal("0.25")}}})))
    assert state["value"]["bookmarks"]["x"]["share"] == 0.25
    schema = {"type": "object", "properties": {"r": {"type": "number", "minimum": Decimal("0.5")}}}
    written = json.loads(line(SchemaMessage(stream="sites", schema=schema, key_properties=["id"])))
    assert written["schema"]["properties"]["r"]["minimum"] == 0.5


def test_the_fast_record_path_writes_a_decimal_as_a_number(capsys):
    tap = TapZoomPhone(config={"account_id": "a", "client_id": "c", "client_secret": "s"})
    users = tap.streams["phone_users"]  # selected by default: every field is written
    users.write_record({"id": "u1", "extension_number": Decimal(1009)})
    tap.message_writer.flush()
    written = capsys.readouterr().out
    assert '"extension_number":1009' in written
    assert json.loads(written)["record"] == {"id": "u1", "extension_number": 1009}
