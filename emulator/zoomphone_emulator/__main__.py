"""`python -m zoomphone_emulator`: same as the `zoomphone-emulator` command."""

import sys

from zoomphone_emulator.cli import main

sys.exit(main())
