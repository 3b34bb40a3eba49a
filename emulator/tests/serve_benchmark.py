"""How fast one emulator process serves one client process (run by hand, never by pytest).

    python emulator/tests/serve_benchmark.py [--users 200] [--calls-per-user 1000]
        [--endpoints user_call_logs,call_history,...] [--passes 2] [--warm] [--parse]

Starts `python -m zoomphone_emulator` (the installed workspace package) in its own process,
then crawls it from this process over one keep-alive connection: every user's records in
month windows over the readable range, 300-record pages (sync feeds: FSync then BSync, 250).
Prints records/s and CPU per record of the emulator (from /proc) and of this client.
The client reads the next token from the end of each page; `--parse` decodes every page
as a tap would (the client then costs more than the emulator).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import functools
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import orjson

from zoom_client import month_windows

if TYPE_CHECKING:
    from collections.abc import Callable

LISTENING = re.compile(r"zoomphone-emulator listening on (http://127\.0\.0\.1:\d+)")
TICKS = os.sysconf("SC_CLK_TCK")
READABLE_DAYS = 183
# Path, array name and page size of each list endpoint.
ENDPOINTS = {
    "user_call_logs": ("/v2/phone/users/{user}/call_logs", "call_logs", 300),
    "user_call_history": ("/v2/phone/users/{user}/call_history", "call_logs", 300),
    "account_call_logs": ("/v2/phone/call_logs", "call_logs", 300),
    "call_history": ("/v2/phone/call_history", "call_history", 300),
    "user_call_logs_sync": ("/v2/phone/users/{user}/call_logs/sync", "call_logs", 250),
    "user_call_history_sync": ("/v2/phone/users/{user}/call_history/sync", "call_logs", 250),
}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass
class Pass:
    """What one crawl cost."""

    records: int = 0
    requests: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    client_cpu: float = 0.0

    def line(self, name: str) -> str:
        emulator = self.cpu / self.records * 1e6 if self.records else 0.0
        client = self.client_cpu / self.records * 1e6 if self.records else 0.0
        return (
            f"{name:30s} {self.records:>9,} records {self.requests:>6,} requests "
            f"{self.wall:6.2f} s {self.records / self.wall:>9,.0f} records/s | "
            f"emulator CPU {emulator:5.1f} us/record | client CPU {client:4.1f} us/record"
        )


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0]) / 1024


class Client:
    """One keep-alive connection to the emulator."""

    def __init__(self, base_url: str) -> None:
        self.connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=600)
        self.headers: dict[str, str] = {}

    def call(self, method: str, path: str, body: bytes = b"", **params: Any) -> bytes:
        target = path + ("?" + urlencode(params) if params else "")
        self.connection.request(method, target, body=body or None, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            msg = f"{method} {target}: {response.status} {data[:200]!r}"
            raise RuntimeError(msg)
        return data

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = b"" if body is None else orjson.dumps(body)
        return orjson.loads(self.call(method, f"/_emulator/{path}", data))

    def authenticate(self) -> None:
        basic = base64.b64encode(b"emulator-client:emulator-secret").decode()
        self.headers = {"Authorization": f"Basic {basic}"}
        params: dict[str, Any] = {
            "grant_type": "account_credentials",
            "account_id": "emulator-account",
        }
        token = orjson.loads(self.call("POST", "/oauth/token", **params))["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}


def token_of(body: bytes, name: bytes) -> str:
    """A token from the envelope at the end of a page, without decoding the records."""
    found = body.rfind(b'"' + name + b'":"')
    if found < 0:
        return ""
    first = found + len(name) + 4
    return body[first : body.index(b'"', first)].decode()


class Crawler:
    """Reads everything an endpoint serves, page by page; `parse` decodes every page."""

    def __init__(self, client: Client, *, parse: bool) -> None:
        self.client = client
        self.parse = parse

    def page(self, path: str, array: str, token: bytes, params: dict[str, Any]) -> tuple[int, str]:
        """Fetch one page; return its record count (-1: not counted, not empty) and token."""
        data = self.client.call("GET", path, **params)
        if self.parse:
            body = orjson.loads(data)
            return len(body.get(array, ())), body.get(token.decode(), "")
        return (0 if b":[]" in data[:40] else -1), token_of(data, token)

    def crawl(self, endpoint: str, users: list[str], windows: list[tuple[str, str]]) -> Pass:
        path, array, size = ENDPOINTS[endpoint]
        result = Pass()
        if endpoint.endswith("_sync"):
            for user in users:
                params: dict[str, Any] = {"sync_type": "FSync", "count": size}
                while True:
                    got, token = self.page(path.format(user=user), array, b"sync_token", params)
                    result.requests += 1
                    result.records += max(got, 0)
                    if not got:
                        break
                    params = {"sync_type": "BSync", "count": size, "sync_token": token}
            return result
        for user in users if "{user}" in path else [""]:
            for first, last in windows:
                window = {"from": first, "to": last, "page_size": size}
                params = window
                while True:
                    got, token = self.page(
                        path.format(user=user), array, b"next_page_token", params
                    )
                    result.requests += 1
                    result.records += max(got, 0)
                    if not token or not got:
                        break
                    params = window | {"next_page_token": token}
        return result


def timed(pid: int, client: Client, run: Callable[[], Pass]) -> Pass:
    """Run a crawl; count its records from the emulator's stats (the client may not parse)."""
    before = sum(client.admin("GET", "stats")["records_served"].values())
    cpu, started, mine = cpu_seconds(pid), time.perf_counter(), time.process_time()
    result = run()
    result.wall = time.perf_counter() - started
    result.cpu = cpu_seconds(pid) - cpu
    result.client_cpu = time.process_time() - mine
    counted = result.records
    result.records = sum(client.admin("GET", "stats")["records_served"].values()) - before
    assert counted in (0, result.records), (counted, result.records)
    return result


def measure(pid: int, base_url: str, args: argparse.Namespace) -> None:
    client = Client(base_url)
    client.authenticate()
    users = [u["id"] for u in client.admin("GET", "users")["users"]]
    now = dt.datetime.fromisoformat(client.admin("GET", "health")["now"])
    windows = month_windows((now - dt.timedelta(days=READABLE_DAYS)).date(), now.date())
    endpoints = args.endpoints.split(",")
    say(f"emulator pid {pid}, {len(users)} users, RSS {rss_mb(pid):.0f} MB")
    if args.warm:
        cpu, started = cpu_seconds(pid), time.perf_counter()
        answer = client.admin("POST", "warm", {"kinds": endpoints})
        wall, used = time.perf_counter() - started, cpu_seconds(pid) - cpu
        cache = client.admin("GET", "cache")
        say(
            f"warm-up: {answer['records']:,} records in {wall:.2f} s ({used:.2f} s CPU, "
            f"{used / max(answer['records'], 1) * 1e6:.1f} us/record); cache "
            f"{cache['records']:,} records, {cache['bytes'] / 2**20:.0f} MiB; "
            f"RSS {rss_mb(pid):.0f} MB"
        )
    crawler = Crawler(client, parse=args.parse)
    for number in range(args.passes):
        for endpoint in endpoints:
            result = timed(pid, client, functools.partial(crawler.crawl, endpoint, users, windows))
            say(f"{result.line(f'pass {number + 1} {endpoint}')} | RSS {rss_mb(pid):.0f} MB")
    client.connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--calls-per-user", type=int, default=1000)
    parser.add_argument("--endpoints", default="user_call_logs", help=", ".join(ENDPOINTS))
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--warm", action="store_true", help="POST /_emulator/warm first")
    parser.add_argument("--parse", action="store_true", help="decode every page like a tap")
    parser.add_argument("--unknown-fields", action="store_true")
    args = parser.parse_args()
    config = {"frozen": True, "plan": "off", "unknown_fields": args.unknown_fields}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(config, file)
        file.flush()
        command = [sys.executable, "-m", "zoomphone_emulator", "--port", "0"]
        command += ["--users", str(args.users), "--calls-per-user", str(args.calls_per_user)]
        command += ["--config", file.name]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            assert process.stdout is not None
            found = LISTENING.search(process.stdout.readline())
            assert found, "the emulator did not start"
            measure(process.pid, found.group(1), args)
        finally:
            process.terminate()
            process.wait(30)


if __name__ == "__main__":
    main()
