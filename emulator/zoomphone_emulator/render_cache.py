"""Rendered records: their JSON bytes, kept under a byte budget, least recently used out first.

Building a record (facts, dict, orjson) costs tens of microseconds; reusing its bytes costs a
fraction of one, so pages are assembled from cached bytes. A key is the record's shape (the
record type plus every setting that changes it) and its id, so a change of settings is never
served a stale shape.
"""

from __future__ import annotations

import collections
import itertools
import operator
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import orjson

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

MB = 1 << 20
# Records rendered per lock round of a warm-up.
FILL_SLICE = 512
# Memory per cached record beyond its bytes (measured): key tuple, dict slot and order node
# ~160, bytes header 33, and the id string when no query cache holds it any more.
ENTRY_OVERHEAD = 240


class Identified(Protocol):
    """Anything listed with a record id (query entries)."""

    @property
    def id(self) -> str:
        """The record id."""
        ...


T = TypeVar("T", bound=Identified)
_ID = operator.attrgetter("id")


def _consume(iterator: Iterator[object]) -> None:
    """Run an iterator to its end at C speed, keeping nothing (the itertools recipe)."""
    collections.deque(iterator, maxlen=0)


def shape(kind: str, *switches: object) -> str:
    """Name a record shape: its type and the settings that change it.

    Args:
        kind: Record type, e.g. "user_call_log".
        *switches: Every setting the rendered bytes depend on.

    Returns:
        The shape name, part of every cache key.
    """
    return "/".join(map(str, (kind, *switches)))


def to_json(record: dict[str, Any]) -> bytes:
    """Serialize a record into a bytes object of its own size, fit to be kept.

    orjson hands back bytes with kilobytes of spare capacity; a copy keeps only the data.

    Args:
        record: The record.

    Returns:
        Its JSON.
    """
    return memoryview(orjson.dumps(record)).tobytes()


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
        items = self._items
        with self._lock:
            # map() keeps the per-record work in C: this runs for every record served.
            found = list(map(items.get, keys))
            misses = found.count(None)
            if misses:
                hits = [key for key, data in zip(keys, found, strict=True) if data is not None]
            else:
                hits = keys
            _consume(map(items.move_to_end, hits))
            self._hits += len(hits)
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
        keys = list(zip(itertools.repeat(kind), map(_ID, entries)))
        found = self._lookup(keys)
        if None not in found:
            return cast("list[bytes]", found)
        rendered: list[bytes] = []
        fresh: list[tuple[tuple[str, str], bytes]] = []
        for key, entry, cached in zip(keys, entries, found, strict=True):
            data = cached if cached is not None else to_json(build(entry))
            if cached is None:
                fresh.append((key, data))
            rendered.append(data)
        budget = self._budget()
        if budget > 0:
            with self._lock:
                self._store(fresh, budget, evict=True)
        return rendered

    def fill(
        self, kind: str, entries: Sequence[T], build: Callable[[T], dict[str, Any]]
    ) -> tuple[int, bool]:
        """Render and cache entries ahead of time, without evicting anything.

        Args:
            kind: The records' shape (see `shape`).
            entries: What to render.
            build: Builds one entry's record.

        Returns:
            How many of the entries are cached now, and whether the budget ran out.
        """
        budget = self._budget()
        with self._lock:
            missing = [e for e in entries if (kind, e.id) not in self._items]
        ready = len(entries) - len(missing)
        # Render outside the lock, a slice at a time, so requests keep being served meanwhile.
        for first in range(0, len(missing), FILL_SLICE):
            fresh = [((kind, e.id), to_json(build(e))) for e in missing[first : first + FILL_SLICE]]
            with self._lock:
                stored = self._store(fresh, budget, evict=False)
            ready += stored
            if stored < len(fresh):
                return ready, True
        return ready, False

    def _store(
        self, fresh: list[tuple[tuple[str, str], bytes]], budget: int, *, evict: bool
    ) -> int:
        """Add records (lock held) and return how many are cached.

        With `evict`, the least recently used records make room; without, adding stops where
        the budget would be exceeded.
        """
        items = self._items
        stored = 0
        for key, data in fresh:
            if key not in items:  # else rendered meanwhile by another request
                size = len(data) + ENTRY_OVERHEAD
                if not evict and self._bytes + size > budget:
                    break
                items[key] = data
                self._bytes += size
            stored += 1
        while self._bytes > budget and items:
            _, data = items.popitem(last=False)
            self._bytes -= len(data) + ENTRY_OVERHEAD
            self._evictions += 1
        return stored

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
