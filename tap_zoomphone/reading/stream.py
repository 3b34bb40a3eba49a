"""The base stream: Zoom's API for the run, STATE on a timer, crawls and their progress."""

from __future__ import annotations

import math
import typing as t
from contextlib import closing, contextmanager

from singer_sdk import SchemaDirectory, StreamSchema, metrics
from singer_sdk.helpers.conform import TypeConformanceLevel
from typing_extensions import override

from tap_zoomphone import schemas
from tap_zoomphone.output.progress import Progress
from tap_zoomphone.output.sdk import SdkStream
from tap_zoomphone.reading.bookmarks import StateTimer
from tap_zoomphone.zoom.errors import (
    DailyLimitReached,
    EndpointUnavailable,
    ListIncomplete,
    MissingScopes,
    TapError,
)

if t.TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.reading.crawl import Crawl, Page, Skipped
    from tap_zoomphone.reading.endpoints import Endpoint
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
        """Records of a crawl, with STATE on a timer; False when it stopped early.

        Zoom's daily limit, a retired endpoint or a list that would not complete stop it; the
        other streams go on.

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
        except (EndpointUnavailable, ListIncomplete, MissingScopes) as exc:
            timer.now()
            self._end_alone(exc, progress)
            return False
        except TapError:
            timer.now()
            progress.summary("failed")
            raise
        timer.now()
        return True

    @contextmanager
    def ending_alone(self, progress: Progress) -> Iterator[None]:
        """A stream Zoom cannot serve in full stops here; the others go on; the run ends so.

        So does a stream whose scopes the app lacks: the run's end names the scopes it needs.
        """
        try:
            yield
        except (EndpointUnavailable, ListIncomplete, MissingScopes) as exc:
            self._end_alone(exc, progress)

    def _end_alone(
        self, error: EndpointUnavailable | ListIncomplete | MissingScopes, progress: Progress
    ) -> None:
        if isinstance(error, EndpointUnavailable):
            self.zoom.retire(self.name, self.successor, error)
            progress.summary("stopped: Zoom no longer serves its endpoint")
            return
        if isinstance(error, MissingScopes):
            self.zoom.refuse(self.name, error)
            progress.summary("stopped: the Zoom app lacks its scopes")
            return
        self.zoom.fail(self.name, error)
        # The run's one ERROR line names it at the end; the other streams go on meanwhile.
        self.logger.warning("%s: %s The other streams go on.", self.name, error)
        progress.summary("failed")

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
    def get_record_counter(
        self, *, endpoint: str | None = None, log_interval: float = math.inf
    ) -> metrics.Counter:
        # One record_count line per stream, at its end: the progress lines say the rest.
        return super().get_record_counter(endpoint=endpoint, log_interval=log_interval)

    @override
    def generate_child_contexts(
        self, record: dict[str, t.Any], context: Context | None
    ) -> t.Iterable[Context | None]:
        # The SDK's default copies every record for child streams; ours get their work a
        # window at a time (call_elements), never a record at a time.
        return ()
