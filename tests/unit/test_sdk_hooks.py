"""The private singer-sdk names the tap relies on are still there, as output/sdk.py says."""

import inspect
import pathlib

import pytest
import singer_sdk
from singer_sdk import Stream

from tap_zoomphone.output.sdk import (
    PRIVATE_ATTRIBUTES,
    PRIVATE_CALLS,
    PRIVATE_HOOKS,
    SDK_FAILURE_NOTE,
    SdkStream,
)
from tap_zoomphone.tap import TapZoomPhone

UPGRADE = (
    f"singer-sdk {singer_sdk.__version__ if hasattr(singer_sdk, '__version__') else ''} changed "
    "a private name tap_zoomphone/output/sdk.py relies on"
)


@pytest.mark.parametrize(("name", "parameters"), PRIVATE_HOOKS.items())
def test_every_private_hook_still_takes_what_the_tap_passes(name, parameters):
    hook = getattr(Stream, name, None)
    assert hook is not None, f"{UPGRADE}: Stream.{name} is gone; rework tap_zoomphone/output/sdk.py"
    found = tuple(inspect.signature(hook).parameters)
    assert found == parameters, (
        f"{UPGRADE}: Stream.{name}{found} no longer matches {parameters}; rework "
        "tap_zoomphone/output/sdk.py"
    )
    assert name in vars(SdkStream), (
        f"tap_zoomphone/output/sdk.py lists {name} but does not override it"
    )


@pytest.mark.parametrize(("name", "parameters"), PRIVATE_CALLS.items())
def test_every_private_method_called_still_takes_what_the_tap_passes(name, parameters):
    method = getattr(Stream, name, None)
    assert method is not None, (
        f"{UPGRADE}: Stream.{name} is gone; rework tap_zoomphone/output/sdk.py"
    )
    found = tuple(inspect.signature(method).parameters)
    assert found == parameters, f"{UPGRADE}: Stream.{name}{found} is not {parameters}"


def test_private_attributes_and_the_failure_note_are_still_there():
    tap = TapZoomPhone(config={}, validate_config=False)
    stream = tap.streams["call_logs"]
    for name in PRIVATE_ATTRIBUTES:
        assert hasattr(stream, name), f"{UPGRADE}: Stream.{name} is gone"
    assert stream.tap is tap
    source = inspect.getsource(inspect.getmodule(Stream))
    assert SDK_FAILURE_NOTE in source, f"{UPGRADE}: its failure note reads differently now"


def test_only_sdk_py_names_the_sdks_private_hooks():
    package = pathlib.Path(__file__).resolve().parents[2] / "tap_zoomphone"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "sdk.py"
        and any(
            name in path.read_text()
            for name in (
                *PRIVATE_HOOKS,
                *PRIVATE_CALLS,
                *PRIVATE_ATTRIBUTES,
                "_ConfigInput",
                "singer_sdk._",
            )
        )
    ]
    assert offenders == []
