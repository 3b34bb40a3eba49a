"""`zoomphone-emulator`: run the emulator as a separate process (demo, benchmarks)."""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from zoomphone_emulator.config import EmulatorConfig
from zoomphone_emulator.server import Emulator, check_loopback

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

DEFAULT_PORT = 8765
# In its own process the emulator's caches hold millions of objects without reference
# cycles; a higher first threshold keeps the cyclic collector from rescanning them.
GC_THRESHOLD = (50_000, 20, 100)


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser.

    Returns:
        The parser.
    """
    parser = argparse.ArgumentParser(
        prog="zoomphone-emulator", description="A local Zoom Phone API for tests and demos."
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 = a free one")
    parser.add_argument("--config", type=Path, help="JSON file of EmulatorConfig fields")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--calls-per-user", type=int)
    parser.add_argument("--plan", choices=("pro", "business", "off"))
    parser.add_argument("--latency-ms", type=float)
    parser.add_argument("--jitter-ms", type=float)
    parser.add_argument("--isync-order", choices=("asc", "desc"))
    parser.add_argument(
        "--isync-follows",
        choices=("visible", "start"),
        help="what ISync follows: when a record became visible or changed, or the call's start",
    )
    parser.add_argument("--late-share", type=float, help="share of calls visible late")
    parser.add_argument("--change-share", type=float, help="share of calls that change later")
    parser.add_argument("--bsync-days", type=int, help="days back BSync reaches")
    parser.add_argument(
        "--bsync-served",
        action=argparse.BooleanOptionalAction,
        help="serve BSync (--no-bsync-served: sync_type=BSync answers 400)",
    )
    parser.add_argument(
        "--daily-headers",
        action=argparse.BooleanOptionalAction,
        help="report the daily cap in the headers of successful Heavy answers",
    )
    parser.add_argument(
        "--label",
        action="append",
        metavar="ROUTE=LABEL",
        help="rate label of one endpoint, e.g. user_call_logs=Medium (repeatable)",
    )
    parser.add_argument(
        "--retire",
        action="append",
        metavar="ROUTE",
        help="serve this endpoint no more: it answers 404 like an unknown path (repeatable)",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="render and cache every list endpoint's records before announcing the port",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """Merge `--config FILE` with the explicit flags (flags win).

    Args:
        args: Parsed arguments.

    Returns:
        The config.
    """
    values: dict[str, Any] = orjson.loads(args.config.read_bytes()) if args.config else {}
    for name in (
        "seed",
        "users",
        "calls_per_user",
        "plan",
        "latency_ms",
        "jitter_ms",
        "isync_order",
        "isync_follows",
        "late_share",
        "change_share",
        "bsync_days",
        "bsync_served",
        "daily_headers",
    ):
        value = getattr(args, name)
        if value is not None:
            values[name] = value
    if args.label:
        values["labels"] = (values.get("labels") or {}) | parse_labels(args.label)
    if args.retire:
        values["retired"] = [*(values.get("retired") or ()), *args.retire]
    return EmulatorConfig.from_mapping(values)


def parse_labels(pairs: Sequence[str]) -> dict[str, str]:
    """Turn `--label ROUTE=LABEL` values into the `labels` setting.

    Args:
        pairs: The flag's values.

    Returns:
        Route name to label (checked later, with the rest of the config).

    Raises:
        ValueError: for a value without "=".
    """
    labels = {}
    for pair in pairs:
        route, sep, label = pair.partition("=")
        if not sep:
            msg = f"--label takes ROUTE=LABEL, got {pair!r}"
            raise ValueError(msg)
        labels[route.strip()] = label.strip()
    return labels


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM.

    Args:
        argv: Arguments (default: sys.argv[1:]).

    Returns:
        The exit code.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        host = check_loopback(args.host)
        config = config_from_args(args)
    except (ValueError, OSError) as error:
        parser.error(str(error))
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    gc.set_threshold(*GC_THRESHOLD)
    with Emulator(config, host=host, port=args.port) as emulator:
        if args.warm:
            done = emulator.warm()
            gc.freeze()  # what the warm-up built lives as long as the process: never rescan it
            sys.stderr.write(
                f"zoomphone-emulator warmed {done['records']:,.0f} records"
                f" in {done['seconds']:.1f} s\n"
            )
        sys.stdout.write(f"zoomphone-emulator listening on {emulator.base_url}\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    return 0
