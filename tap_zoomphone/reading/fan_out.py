"""Streams read one request (or one short list) per parent: a queue's members, a user's settings.

The parents come from a list the stream reads itself (the call queues, the phone users), so the
stream works whether or not the parent's own stream is selected, and costs nothing when it is
not selected itself. The parents' requests are spread over the run's workers; a parent Zoom
cannot serve (a user deleted since the listing) is skipped with a warning and the others go on.
"""

from __future__ import annotations

import typing as t
from typing import ClassVar

from typing_extensions import override

from tap_zoomphone.reading.costs import CostEstimate
from tap_zoomphone.reading.crawl import Crawl, Page, Skipped
from tap_zoomphone.reading.listing import Record, list_pages
from tap_zoomphone.reading.stream import ZoomPhoneStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.reading.endpoints import Endpoint


class FanOutStream(ZoomPhoneStream):
    """A full-table stream: for every parent key, `endpoint` with that key in its path.

    A subclass declares `endpoint` (its path names `parent_key`) and either `parents` (the list
    endpoint whose records' `id` are the keys) or its own `parent_keys`. `single` marks an
    endpoint whose answer is one record rather than a list.
    """

    endpoint: ClassVar[Endpoint]
    parent_key: ClassVar[str]
    parents: ClassVar[Endpoint | None] = None
    single: ClassVar[bool] = False
    unit: ClassVar[str] = "parents"

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        return (cls.endpoint,) if cls.parents is None else (cls.parents, cls.endpoint)

    def parent_keys(self) -> list[str]:
        """The keys to read, in a stable order (by default the ids of the `parents` list)."""
        parents = self.parents
        assert parents is not None  # noqa: S101  # a subclass declares parents or overrides this
        query = parents.query(self.zoom.settings, stream=self.name)
        keys = (
            parents.record_id(record)
            for page in list_pages(self.zoom.api, query)
            for record in page
        )
        return list(dict.fromkeys(str(key) for key in keys if key))

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        progress = self.new_progress(self.unit, 0)
        with self.ending_alone(progress):
            keys = self.parent_keys()
            progress.total = len(keys)
            estimate = CostEstimate(self.name, f"{len(keys):,} {self.unit}")
            estimate.add(zoom.api.label_for(self.endpoint.path, self.endpoint.label), len(keys))
            estimate.log(zoom.api, self.logger)

            def emit(item: Page | Skipped) -> Iterator[Record]:
                progress.done += 1
                if isinstance(item, Skipped):
                    progress.skipped += 1
                    self.logger.warning(
                        "%s: skipping %s %s: %s", self.name, self.parent_key, item.unit, item.error
                    )
                    return
                progress.records += len(item.records)
                yield from item.records

            crawl = Crawl(keys, self._read, zoom.settings.max_workers)
            if (yield from self.crawl_records(crawl, progress, emit)):
                progress.summary()

    def _read(self, key: str) -> Iterator[Page]:
        """One parent's records (runs on a worker thread)."""
        endpoint = self.endpoint
        api = self.zoom.api
        args = {self.parent_key: key}
        if self.single:
            reply = api.get(
                endpoint.path, params={}, label=endpoint.label, stream=self.name, path_args=args
            )
            records = [reply.body]
        else:
            query = endpoint.query(self.zoom.settings, stream=self.name, path_args=args)
            records = [record for page in list_pages(api, query) for record in page]
        for record in records:
            record[self.parent_key] = key
            endpoint.normalize(record)
        yield Page(key, records, last=True)
