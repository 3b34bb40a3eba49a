"""Reading many users (or windows) at once, while one thread writes every Singer message.

Worker threads each take the next unit of work (a user, a window), read its pages and hand them
to the writing thread through a small bounded queue, so memory stays flat however many users an
account has. A unit's pages arrive in the order its worker read them; units interleave. A page
carries the bookmark to record once its records are written, so STATE never runs ahead of output.

A unit may hand work of its own to the same workers (`Spawn`: a window's calls, whose paths are
read one request each). Spawned units are taken before any unit waiting since the start, so few
windows are open at once, and the spawning unit's `last` page is held back until every unit it
spawned has been read: its bookmark never passes work still in flight. The crawl is the tap's
one way of reading in parallel.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tap_zoomphone.zoom.errors import UserUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator

logger = logging.getLogger("tap-zoomphone.crawl")

STOP_WAIT_SECONDS = 5.0
# How long an idle worker waits before looking again whether work may still be spawned.
IDLE_WAIT_SECONDS = 0.2


@dataclass(slots=True)
class Page:
    """Records of one unit of work, and the bookmark change that is true once they are written."""

    unit: str
    records: list[dict[str, Any]]
    bookmark: dict[str, Any] | None = None
    last: bool = False
    # The stream the records are for, when not the crawling stream (a window's children).
    stream: str | None = None


@dataclass(slots=True)
class Spawn:
    """Units the reading unit hands to the crawl's workers; its `last` page waits for them."""

    units: list[str]


@dataclass(slots=True)
class Skipped:
    """A unit that cannot be read (user deleted, logs unavailable); the others go on."""

    unit: str
    error: UserUnavailable


@dataclass(slots=True)
class _Failed:
    error: BaseException


@dataclass(slots=True)
class _Done:
    pass


@dataclass(slots=True)
class _Family:
    """A unit's spawned units still unread, and its last page while they are."""

    parent: str | None = None
    open_children: int = 0
    held: Page | None = None
    finished: bool = False


@dataclass
class Crawl:
    """Runs `read(unit)` for every unit on `workers` threads and yields what they read."""

    units: Iterable[str]
    read: Callable[[str], Iterator[Page | Spawn]]
    workers: int
    buffer_pages: int = 0
    _queue: queue.Queue[Page | Skipped | _Failed | _Done] = field(init=False)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _threads: list[threading.Thread] = field(init=False, default_factory=list)
    # Units to read (spawned ones at the front), units not yet read to the end, families.
    _todo: collections.deque[str] = field(init=False, default_factory=collections.deque)
    _unfinished: int = field(init=False, default=0)
    _families: dict[str, _Family] = field(init=False, default_factory=dict)
    _changed: threading.Condition = field(init=False, default_factory=threading.Condition)

    def __iter__(self) -> Generator[Page | Skipped, None, None]:
        """Pages and skips as workers produce them; re-raises the first fatal error."""
        self._todo.extend(self.units)
        self._unfinished = len(self._todo)
        workers = max(1, self.workers)
        self._queue = queue.Queue(maxsize=self.buffer_pages or workers * 2)
        # Every worker starts, however few units: units may spawn more.
        self._threads = [
            threading.Thread(target=self._work, name=f"zoom-worker-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()
        running = len(self._threads)
        try:
            while running:
                item = self._queue.get()
                if isinstance(item, _Done):
                    running -= 1
                elif isinstance(item, _Failed):
                    raise item.error
                else:
                    yield item
        finally:
            self.stop()

    def stop(self) -> None:
        """Tell workers to finish; wait briefly (they are daemons, in case a request hangs)."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        while True:  # unblock workers waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        for thread in self._threads:
            thread.join(timeout=STOP_WAIT_SECONDS)

    def _work(self) -> None:
        try:
            while (unit := self._next()) is not None:
                try:
                    for item in self.read(unit):
                        if isinstance(item, Spawn):
                            self._spawn(unit, item.units)
                        elif item.last and self._hold(unit, item):
                            continue
                        elif not self._put(item):
                            return
                except UserUnavailable as exc:
                    self._put(Skipped(unit=unit, error=exc))
                if not self._finish(unit):
                    return
        except Exception as exc:  # the writing thread re-raises it, with the STATE so far
            logger.debug("worker failed", exc_info=True)
            self._put(_Failed(exc))
        finally:
            self._put(_Done())

    def _next(self) -> str | None:
        """The next unit to read; None once every unit is read (or the crawl stops)."""
        with self._changed:
            while not self._stop.is_set():
                if self._todo:
                    return self._todo.popleft()
                if not self._unfinished:
                    return None
                # A unit still being read may spawn more.
                self._changed.wait(IDLE_WAIT_SECONDS)
            return None

    def _spawn(self, parent: str, units: list[str]) -> None:
        with self._changed:
            self._families.setdefault(parent, _Family()).open_children += len(units)
            for unit in units:
                self._families[unit] = _Family(parent=parent)
            self._todo.extendleft(reversed(units))
            self._unfinished += len(units)
            self._changed.notify_all()

    def _hold(self, unit: str, page: Page) -> bool:
        """Keep a unit's last page back while units it spawned are unread (True: kept)."""
        with self._changed:
            family = self._families.get(unit)
            if family is None or not family.open_children:
                return False
            family.held = page
            return True

    def _finish(self, unit: str) -> bool:
        """A unit is read: release its family's held pages that no longer wait (False: stop)."""
        released: list[Page] = []
        with self._changed:
            self._unfinished -= 1
            name: str | None = unit
            while name is not None:
                family = self._families.get(name)
                if family is None:
                    break
                if name == unit:
                    family.finished = True
                if family.open_children or not family.finished:
                    break
                del self._families[name]
                if family.held is not None:
                    released.append(family.held)
                name = family.parent
                if name is not None:
                    self._families[name].open_children -= 1
            self._changed.notify_all()
        return all(self._put(page) for page in released)

    def _put(self, item: Page | Skipped | _Failed | _Done) -> bool:
        """Hand an item to the writer; False once the crawl is stopping."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
            except queue.Full:
                continue
            return True
        return False
