"""`python -m tap_zoomphone` runs the tap."""

from tap_zoomphone.cli import main

main()
