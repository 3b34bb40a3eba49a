"""The Singer SDK's standard tap tests, run against the emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_zoomphone.tap import TapZoomPhone
from tests.tapruns import CLOCK_START
from zoomphone_emulator import Emulator, EmulatorConfig

if TYPE_CHECKING:
    from collections.abc import Iterator

# Optional fields absent from every sampled record (e.g. sync-only fields) only warn.
pytestmark = pytest.mark.filterwarnings("ignore:Fields in transformed catalog but not in records")

# Few SMS sessions: the suite stops each stream after 150 records, and a window's sessions are
# written before their messages, so a busier account would stop sms_sessions before any child.
EMULATOR = Emulator(
    EmulatorConfig(
        seed=2,
        users=4,
        calls_per_user=200,
        sms_sessions_per_user=5,
        frozen=True,
        clock_start=CLOCK_START,
    )
)
EMULATOR.start()


@pytest.fixture(scope="module", autouse=True)
def _stop_emulator() -> Iterator[None]:
    yield
    EMULATOR.stop()


CONFIG = {**EMULATOR.tap_config(), "rate_limit_plan": "1000", "max_workers": 4}


def everything_selected() -> dict:
    """The discovered catalog with every stream and property selected (`select: ['*.*']`)."""
    catalog = TapZoomPhone(config=CONFIG, validate_config=False).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            metadata["metadata"]["selected"] = True
    return catalog


TestTapZoomPhone = get_tap_test_class(
    TapZoomPhone,
    config=CONFIG,
    catalog=everything_selected(),
    # ai_call_summaries are read once their parent's users are done, and call_qos after
    # call_elements in each window: the 150-record cap stops their parents first
    # (tests/integration/test_summaries.py and test_call_qos.py read them whole).
    suite_config=SuiteConfig(
        max_records_limit=150, ignore_no_records_for_streams=["ai_call_summaries", "call_qos"]
    ),
)
