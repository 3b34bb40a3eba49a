"""The `tap-zoomphone` command: the SDK's CLI, with errors as one line and an exit status."""

from __future__ import annotations

import logging
import sys

from singer_sdk.exceptions import ConfigurationError, MappingError

from tap_zoomphone.tap import TapZoomPhone
from tap_zoomphone.zoom.errors import TapError


def main() -> None:
    """Run the tap; a TapError ends it with one ERROR line and its exit status, no traceback."""
    try:
        TapZoomPhone.cli()
    except TapError as exc:
        _fail(str(exc), exc.exit_code)
    except (ConfigurationError, MappingError) as exc:  # e.g. a stream map that cannot evaluate
        _fail(f"Invalid configuration: {exc}", TapError.exit_code)


def _fail(message: str, exit_code: int) -> None:
    sys.stdout.flush()
    # One line, no traceback: the message says what to fix.
    logging.getLogger(TapZoomPhone.name).error("%s", " ".join(message.split()))
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
