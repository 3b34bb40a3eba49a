"""A local emulator of the Zoom Phone REST API, for tests, demos and benchmarks.

It follows the rules in ZOOM_PHONE_API.md (windows, paging, sync tokens, rate limits, errors)
over deterministic, lazily generated data. The tap never imports it.

    from zoomphone_emulator import EmulatorConfig, Fault, run_emulator

    with run_emulator(EmulatorConfig(seed=7, users=20)) as emu:
        emu.tap_config()
"""

from zoomphone_emulator.config import EmulatorConfig
from zoomphone_emulator.faults import Fault
from zoomphone_emulator.server import Emulator, run_emulator

__all__ = ["Emulator", "EmulatorConfig", "Fault", "run_emulator"]
