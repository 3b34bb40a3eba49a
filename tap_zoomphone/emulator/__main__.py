"""`python -m tap_zoomphone.emulator`: same as the `zoomphone-emulator` command."""

import sys

from tap_zoomphone.emulator.cli import main

sys.exit(main())
