"""Reading many users (or windows) at once, while one thread writes every Singer message.

Worker threads each take the next unit of work (a user, a window), read its pages and hand them
to the writing thread through a small bounded queue, so memory stays flat however many users an
account has. A unit's pages arrive in the order its worker read them; units interleave. A page
carries the bookmark to record once its records are written, so STATE never runs ahead of output.
"""

from __future__ import annotations

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


@dataclass
class Crawl:
    """Runs `read(unit)` for every unit on `workers` threads and yields what they read."""

    units: Iterable[str]
    read: Callable[[str], Iterator[Page]]
    workers: int
    buffer_pages: int = 0
    _queue: queue.Queue[Page | Skipped | _Failed | _Done] = field(init=False)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _threads: list[threading.Thread] = field(init=False, default_factory=list)

    def __iter__(self) -> Generator[Page | Skipped, None, None]:
        """Pages and skips as workers produce them; re-raises the first fatal error."""
        todo: queue.SimpleQueue[str] = queue.SimpleQueue()
        count = 0
        for unit in self.units:
            todo.put(unit)
            count += 1
        workers = max(1, min(self.workers, count))
        self._queue = queue.Queue(maxsize=self.buffer_pages or workers * 2)
        self._threads = [
            threading.Thread(target=self._work, args=(todo,), name=f"zoom-worker-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()
        running = workers
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
        while True:  # unblock workers waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        for thread in self._threads:
            thread.join(timeout=STOP_WAIT_SECONDS)

    def _work(self, todo: queue.SimpleQueue[str]) -> None:
        try:
            while not self._stop.is_set():
                try:
                    unit = todo.get_nowait()
                except queue.Empty:
                    break
                try:
                    for page in self.read(unit):
                        if not self._put(page):
                            return
                except UserUnavailable as exc:
                    self._put(Skipped(unit=unit, error=exc))
        except Exception as exc:  # the writing thread re-raises it, with the STATE so far
            logger.debug("worker failed", exc_info=True)
            self._put(_Failed(exc))
        finally:
            self._put(_Done())

    def _put(self, item: Page | Skipped | _Failed | _Done) -> bool:
        """Hand an item to the writer; False once the crawl is stopping."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
            except queue.Full:
                continue
            return True
        return False
