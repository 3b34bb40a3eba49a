"""The `tap-zoomphone` command: the SDK's CLI, with errors as one line and an exit status."""

from __future__ import annotations

import logging
import sys

from tap_zoomphone.errors import TapError
from tap_zoomphone.tap import TapZoomPhone


def main() -> None:
    """Run the tap; a TapError ends it with one ERROR line and its exit status, no traceback."""
    try:
        TapZoomPhone.cli()
    except TapError as exc:
        sys.stdout.flush()
        logging.getLogger(TapZoomPhone.name).error("%s", exc)  # noqa: TRY400  # one line, no traceback
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
