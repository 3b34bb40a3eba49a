import logging
from decimal import Decimal

from tap_zoomphone.output.records import RecordShaper

SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "duration": {"type": ["integer", "null"]},
        "rate": {"type": ["number", "null"]},
        "has_recording": {"type": ["boolean", "null"]},
        "date_time": {"type": ["string", "null"], "format": "date-time"},
        "extension_number": {"type": ["string", "null"]},
        "site": {
            "type": ["object", "null"],
            "properties": {
                "id": {"type": ["string", "null"]},
                "name": {"type": ["string", "null"]},
            },
        },
        "calling_plans": {
            "type": ["array", "null"],
            "items": {
                "type": ["object", "null"],
                "properties": {"type": {"type": ["integer", "null"]}},
            },
        },
    },
}


def shaper(selected=lambda crumb: True):
    return RecordShaper(
        stream="call_logs", schema=SCHEMA, selected=selected, logger=logging.getLogger("t")
    )


def test_right_values_stay_untouched():
    record = {
        "id": "a",
        "duration": 7,
        "rate": 0.5,
        "has_recording": False,
        "date_time": "2026-01-24T23:58:10Z",
        "extension_number": "1009",
        "site": {"id": "s", "name": "Main Site"},
        "calling_plans": [{"type": 200}],
    }
    assert shaper().shape(dict(record)) == record


def test_wrong_types_are_coerced_to_the_schema():
    shaped = shaper().shape(
        {
            "id": 5,
            "duration": "20",
            "rate": "0.0255",
            "has_recording": "false",
            "date_time": "2026-01-24 23:58:10",
            "extension_number": 1009,
            "calling_plans": [{"type": "3"}],
        }
    )
    assert shaped == {
        "id": "5",
        "duration": 20,
        "rate": 0.0255,
        "has_recording": False,
        "date_time": "2026-01-24T23:58:10Z",
        "extension_number": "1009",
        "calling_plans": [{"type": 3}],
    }


def test_unconvertible_values_become_null():
    shaped = shaper().shape({"id": "a", "duration": "long", "date_time": "", "site": "HQ"})
    assert shaped == {"id": "a", "duration": None, "date_time": None, "site": None}


def test_unknown_fields_are_dropped_with_one_warning_each(caplog):
    s = shaper()
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            shaped = s.shape({"id": "a", "new_field_2026": 1, "site": {"id": "s", "region": "x"}})
            assert shaped == {"id": "a", "site": {"id": "s"}}
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2
    assert any("'new_field_2026'" in w for w in warnings)
    assert any("'site.region'" in w for w in warnings)


def test_deselected_properties_are_removed():
    deselected = {("properties", "duration"), ("properties", "site", "properties", "name")}
    s = shaper(selected=lambda crumb: crumb not in deselected)
    shaped = s.shape({"id": "a", "duration": 3, "site": {"id": "s", "name": "n"}})
    assert shaped == {"id": "a", "site": {"id": "s"}}


def test_decimals_stay_numbers():
    shaped = shaper().shape({"id": Decimal(12), "duration": Decimal(20), "rate": Decimal("0.0255")})
    assert shaped == {"id": "12", "duration": 20, "rate": Decimal("0.0255")}
