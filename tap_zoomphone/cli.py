"""The `tap-zoomphone` command: the SDK's CLI, with errors as one line and an exit status."""

from __future__ import annotations

import logging
import sys

from tap_zoomphone.errors import TapError
from tap_zoomphone.tap import TapZoomPhone

# The SDK notes every failed stream sync before the error itself; the error line says it all.
_SDK_FAILURE_NOTE = "An unhandled error occurred while syncing"


class _DropSyncFailureNote(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_SDK_FAILURE_NOTE)


def main() -> None:
    """Run the tap; a TapError ends it with one ERROR line and its exit status, no traceback."""
    note_filter = _DropSyncFailureNote()
    for handler in logging.getLogger().handlers:
        handler.addFilter(note_filter)
    try:
        TapZoomPhone.cli()
    except TapError as exc:
        sys.stdout.flush()
        logging.getLogger(TapZoomPhone.name).error("%s", exc)  # noqa: TRY400  # one line, no traceback
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
