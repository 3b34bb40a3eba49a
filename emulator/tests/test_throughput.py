"""A small throughput check, printed for the record (never asserted on time)."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    import pytest

    from zoom_client import ZoomClient


def test_throughput_is_printed(
    zoom: Callable[..., ZoomClient], capsys: pytest.CaptureFixture[str]
) -> None:
    api = zoom(users=20, calls_per_user=4000)
    user = api.emu.user_ids()[0]
    api.authenticate()
    checks = {
        "small pages (users, page_size=1)": ("/phone/users", {"page_size": 1}, 400),
        "300-record pages (user call_logs)": (
            f"/phone/users/{user}/call_logs",
            {"page_size": 300, "from": "2026-10-01", "to": "2026-10-31"},
            40,
        ),
    }
    lines = []
    for name, (path, params, count) in checks.items():
        started = time.perf_counter()
        responses = [api.get(path, **params) for _ in range(count)]
        elapsed = time.perf_counter() - started
        assert {r.status_code for r in responses} == {200}
        records = sum(len(r.json().get("call_logs", r.json().get("users", []))) for r in responses)
        lines.append(
            f"  {name}: {count / elapsed:,.0f} requests/s, {records / elapsed:,.0f} records/s"
        )

    with capsys.disabled():
        sys.stdout.write(
            "\nemulator throughput (one client in the same process):\n" + "\n".join(lines) + "\n"
        )
