"""The crawl: units read on workers, spawned units on the same workers, held last pages."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest

from tap_zoomphone.reading.crawl import Crawl, Page, Spawn

if TYPE_CHECKING:
    from collections.abc import Iterator


def _items(crawl: Crawl) -> list[Page]:
    return [item for item in crawl if isinstance(item, Page)]


def test_a_units_last_page_comes_after_every_page_of_the_units_it_spawned():
    threads: dict[str, str] = {}

    def read(unit: str) -> Iterator[Page | Spawn]:
        threads[unit] = threading.current_thread().name
        if "/" in unit:
            # Batches finish in a shuffled order, some well after their window's own pages.
            time.sleep(0.01 * (hash(unit) % 5))
            yield Page(unit, [{"id": unit}], stream="children")
            return
        yield Page(unit, [{"id": unit}])
        yield Spawn([f"{unit}/{n}" for n in range(6)])
        yield Page(unit, [], last=True)

    pages = _items(Crawl(["0", "1", "2"], read, workers=3))

    for window in ("0", "1", "2"):
        last = next(n for n, page in enumerate(pages) if page.unit == window and page.last)
        batches = [n for n, page in enumerate(pages) if page.unit.startswith(f"{window}/")]
        assert len(batches) == 6
        assert max(batches) < last
    # One pool of workers reads windows and batches alike.
    assert set(threads.values()) <= {f"zoom-worker-{n}" for n in range(3)}
    assert len({threads[unit] for unit in threads if "/" in unit}) > 1


def test_a_single_window_spreads_its_batches_over_every_worker():
    started: set[str] = set()
    together = threading.Barrier(4, timeout=5)

    def read(unit: str) -> Iterator[Page | Spawn]:
        if unit == "window":
            yield Spawn([f"window/{n}" for n in range(4)])
            yield Page(unit, [], last=True)
            return
        started.add(threading.current_thread().name)
        together.wait()  # fails unless four batches are read at the same time
        yield Page(unit, [{"id": unit}], stream="children")

    pages = _items(Crawl(["window"], read, workers=4))

    assert len(started) == 4
    assert pages[-1].unit == "window"
    assert pages[-1].last


def test_a_last_page_is_not_held_when_the_spawned_units_finished_first():
    def read(unit: str) -> Iterator[Page | Spawn]:
        if unit == "window":
            yield Spawn(["window/0"])
            time.sleep(0.1)  # the batch is read meanwhile
            yield Page(unit, [], last=True)
            return
        yield Page(unit, [{"id": 1}], stream="children")

    pages = _items(Crawl(["window"], read, workers=2))

    assert [(page.unit, page.last) for page in pages] == [("window/0", False), ("window", True)]


def test_a_failing_spawned_unit_fails_the_crawl_and_its_window_never_completes():
    def read(unit: str) -> Iterator[Page | Spawn]:
        if unit == "window":
            yield Spawn(["window/0", "window/1"])
            yield Page(unit, [], last=True)
            return
        if unit == "window/1":
            msg = "Zoom broke"
            raise RuntimeError(msg)
        yield Page(unit, [], stream="children")

    seen: list[Page] = []
    with pytest.raises(RuntimeError, match="Zoom broke"):
        seen.extend(page for page in Crawl(["window"], read, workers=2) if isinstance(page, Page))
    assert not any(page.last for page in seen)


def test_a_crawl_without_spawns_reads_every_unit_once():
    def read(unit: str) -> Iterator[Page]:
        yield Page(unit, [{"id": unit}], last=True)

    pages = _items(Crawl([str(n) for n in range(50)], read, workers=4))

    assert sorted(page.unit for page in pages) == sorted(str(n) for n in range(50))
