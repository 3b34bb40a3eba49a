"""The base stream: Zoom's API for the run, STATE on a timer, crawls and their progress."""

from __future__ import annotations

import typing as t
from contextlib import closing, contextmanager

from singer_sdk import SchemaDirectory, StreamSchema
from singer_sdk.helpers.conform import TypeConformanceLevel
from typing_extensions import override

from tap_zoomphone import schemas
from tap_zoomphone.bookmarks import StateTimer
from tap_zoomphone.errors import DailyLimitReached, EndpointUnavailable, MissingScopes, TapError
from tap_zoomphone.progress import Progress
from tap_zoomphone.sdk import SdkStream

if t.TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.crawl import Crawl, Page, Skipped
    from tap_zoomphone.endpoints import Endpoint
    from tap_zoomphone.run import ZoomRun
    from tap_zoomphone.tap import TapZoomPhone

SCHEMAS = SchemaDirectory(schemas)


class ZoomPhoneStream(SdkStream):
    """Shared behaviour of every Zoom Phone stream."""

    # STATE goes out on a timer (state_interval_seconds), not every N records.
    STATE_MSG_FREQUENCY = 10**12
    # RecordShaper conforms records in one compiled pass instead.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    schema = StreamSchema(SCHEMAS)
    # The stream to read instead once Zoom retires this one's endpoint.
    successor: t.ClassVar[str | None] = None
    # What STATE keeps for the stream, as the README's stream table says it.
    bookmark: t.ClassVar[str] = "none (full)"

    @classmethod
    def reads(cls) -> tuple[Endpoint, ...]:
        """The endpoints the stream reads, in the README's stream table.

        By default its `endpoints` (whole lists declare them); other traversals say theirs.
        """
        endpoints: tuple[Endpoint, ...] = getattr(cls, "endpoints", ())
        return endpoints

    @property
    def zoom(self) -> ZoomRun:
        """The run's settings, API client and user directory."""
        return t.cast("TapZoomPhone", self.tap).zoom

    def emit_state(self) -> None:
        """Write the tap's STATE now (the SDK's writer skips it when nothing changed)."""
        self.tap.state_writer.write_state(self.tap.state)

    def crawl_records(
        self,
        crawl: Crawl,
        progress: Progress,
        emit: Callable[[Page | Skipped], Iterator[dict[str, t.Any]]],
    ) -> Generator[dict[str, t.Any], None, bool]:
        """Records of a crawl, with STATE on a timer; False when Zoom's daily limit stopped it.

        A fatal error still emits the STATE so far before it propagates: a run that fails
        resumes from there.
        """
        timer = StateTimer(self.emit_state, self.zoom.settings.state_interval)
        try:
            with closing(iter(crawl)) as items:
                for item in items:
                    yield from emit(item)
                    timer.tick()
                    progress.tick()
        except DailyLimitReached as exc:
            self.zoom.daily_limit = exc
            timer.now()
            progress.summary("stopped at Zoom's daily limit")
            return False
        except EndpointUnavailable as exc:
            self.zoom.retire(self.name, self.successor, exc)
            timer.now()
            progress.summary("stopped: Zoom no longer serves its endpoint")
            return False
        except MissingScopes as exc:
            self.zoom.refuse(self.name, exc)
            timer.now()
            progress.summary("stopped: the Zoom app lacks its scopes")
            return False
        except TapError:
            timer.now()
            progress.summary("failed")
            raise
        timer.now()
        return True

    @contextmanager
    def retirement(self, progress: Progress) -> Iterator[None]:
        """A stream whose endpoint Zoom retired, or whose scopes the app lacks, stops.

        The other streams go on; the run ends incomplete, naming what to do.
        """
        try:
            yield
        except EndpointUnavailable as exc:
            self.zoom.retire(self.name, self.successor, exc)
            progress.summary("stopped: Zoom no longer serves its endpoint")
        except MissingScopes as exc:
            self.zoom.refuse(self.name, exc)
            progress.summary("stopped: the Zoom app lacks its scopes")

    def new_progress(self, unit: str, total: int) -> Progress:
        """Progress lines and the final summary of this stream's crawl."""
        return Progress(
            stream=self.name,
            unit=unit,
            total=total,
            tally=self.zoom.api.tally,
            interval=self.zoom.settings.progress_interval,
            logger=self.logger,
        )

    @override
    def generate_child_contexts(
        self, record: dict[str, t.Any], context: Context | None
    ) -> t.Iterable[Context | None]:
        # The SDK's default copies every record for child streams; ours get their work a
        # window at a time (call_elements), never a record at a time.
        return ()
