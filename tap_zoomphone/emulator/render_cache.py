"""Rendered records: their JSON bytes, kept under a byte budget, least recently used out first.

Building a record (facts, dict, orjson) costs tens of microseconds; reusing its bytes costs a
fraction of one, so pages are assembled from cached bytes. A key is the record's shape (the
record type plus every setting that changes it) and its id, so a change of settings is never
served a stale shape.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

MB = 1 << 20
# Records rendered per lock round of a warm-up.
FILL_SLICE = 512
# Memory per cached record beyond its bytes: key tuple, dict slot, order node, bytes header.
ENTRY_OVERHEAD = 200


class Identified(Protocol):
    """Anything listed with a record id (query entries)."""

    @property
    def id(self) -> str:
        """The record id."""
        ...


T = TypeVar("T", bound=Identified)


def shape(kind: str, *switches: object) -> str:
    """Name a record shape: its type and the settings that change it.

    Args:
        kind: Record type, e.g. "user_call_log".
        *switches: Every setting the rendered bytes depend on.

    Returns:
        The shape name, part of every cache key.
    """
    return "/".join(map(str, (kind, *switches)))


def page_body(array: str, records: Sequence[bytes], envelope: dict[str, Any]) -> bytes:
    """Join rendered records and an envelope into `{array: [...], **envelope}`.

    The result is byte for byte what `orjson.dumps` gives for the same dict.

    Args:
        array: Name of the records array (the first key).
        records: Rendered records.
        envelope: The other keys, in order.

    Returns:
        The JSON body.
    """
    head = orjson.dumps(array)
    tail = orjson.dumps(envelope)
    rest = b"]," + tail[1:] if envelope else b"]}"
    return b"{" + head + b":[" + b",".join(records) + rest


class RenderCache:
    """Thread-safe LRU of rendered records under a byte budget.

    Args:
        budget: Returns the budget in bytes (read on every store, so it may change live;
            0 disables caching).
    """

    def __init__(self, budget: Callable[[], int]) -> None:
        """Start empty."""
        self._budget = budget
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._evictions = 0
        self._lock = threading.Lock()

    def _lookup(self, keys: list[tuple[str, str]]) -> list[bytes | None]:
        """Cached bytes per key (None when missing); hits become most recently used."""
        found: list[bytes | None] = []
        items = self._items
        with self._lock:
            for key in keys:
                data = items.get(key)
                if data is not None:
                    items.move_to_end(key)
                found.append(data)
            misses = found.count(None)
            self._hits += len(keys) - misses
            self._misses += misses
        return found

    def render(
        self, kind: str, entries: Sequence[T], build: Callable[[T], dict[str, Any]]
    ) -> list[bytes]:
        """Return the rendered records of a page, building and caching what is missing.

        Args:
            kind: The records' shape (see `shape`).
            entries: The page's entries.
            build: Builds one entry's record.

        Returns:
            The JSON bytes of each record, in order.
        """
        keys = [(kind, e.id) for e in entries]
        rendered: list[bytes] = []
        fresh: list[tuple[tuple[str, str], bytes]] = []
        for key, entry, data in zip(keys, entries, self._lookup(keys), strict=True):
            if data is None:
                data = orjson.dumps(build(entry))
                fresh.append((key, data))
            rendered.append(data)
        if fresh:
            with self._lock:
                self._store(fresh, self._budget(), evict=True)
        return rendered

    def fill(
        self, kind: str, entries: Sequence[T], build: Callable[[T], dict[str, Any]]
    ) -> int | None:
        """Render and cache entries ahead of time, without evicting anything.

        Args:
            kind: The records' shape (see `shape`).
            entries: What to render.
            build: Builds one entry's record.

        Returns:
            How many of the entries are cached now, or None once the budget is full.
        """
        budget = self._budget()
        with self._lock:
            missing = [e for e in entries if (kind, e.id) not in self._items]
        # Render outside the lock, in slices, so requests keep being served meanwhile.
        for first in range(0, len(missing), FILL_SLICE):
            chunk = missing[first : first + FILL_SLICE]
            fresh = [((kind, e.id), orjson.dumps(build(e))) for e in chunk]
            with self._lock:
                if not self._store(fresh, budget, evict=False):
                    return None
        return len(entries)

    def _store(self, fresh: list[tuple[tuple[str, str], bytes]], budget: int, *, evict: bool) -> bool:
        """Add records (lock held); evict the least recently used beyond the budget.

        Returns False, having stored what fitted, when `evict` is off and the budget is full.
        """
        items = self._items
        for key, data in fresh:
            if key in items:
                continue  # rendered meanwhile by another request
            size = len(data) + ENTRY_OVERHEAD
            if not evict and self._bytes + size > budget:
                return False
            items[key] = data
            self._bytes += size
        while self._bytes > budget and items:
            _, data = items.popitem(last=False)
            self._bytes -= len(data) + ENTRY_OVERHEAD
            self._evictions += 1
        return True

    def clear(self) -> None:
        """Forget every rendered record."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def info(self) -> dict[str, int]:
        """Return the cache's size and counters.

        Returns:
            records, bytes (including bookkeeping), budget_bytes, hits, misses, evictions.
        """
        with self._lock:
            return {
                "records": len(self._items),
                "bytes": self._bytes,
                "budget_bytes": self._budget(),
                "hits": self._hits,
                "misses": self._misses,
                "evictions": self._evictions,
            }

