"""Account lists read whole on every run: the account's phone system (sites, queues, devices).

They are small (hundreds to thousands of rows) and Zoom offers no date to read them by, so each
run reads every page again; the target's primary key keeps one row per id.
"""

from __future__ import annotations

import typing as t
from typing import ClassVar

from typing_extensions import override

from tap_zoomphone.reading.costs import CostEstimate
from tap_zoomphone.reading.listing import Record, list_pages
from tap_zoomphone.reading.stream import ZoomPhoneStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.reading.endpoints import Endpoint


class AccountListStream(ZoomPhoneStream):
    """A full-table stream: one or more account lists, page by page."""

    # More than one when Zoom splits a list by a required parameter (devices: assigned or not).
    endpoints: ClassVar[tuple[Endpoint, ...]]

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        estimate = CostEstimate(self.name, "the whole list")
        for endpoint in self.endpoints:
            estimate.add(zoom.api.label_for(endpoint.path, endpoint.label), 1)
        estimate.log(zoom.api, self.logger)
        progress = self.new_progress("pages", 0)
        with self.ending_alone(progress):
            for endpoint in self.endpoints:
                query = endpoint.query(zoom.settings, stream=self.name)
                for page in list_pages(zoom.api, query):
                    progress.total += 1
                    for record in page:
                        yield endpoint.normalize(record)
                    progress.records += len(page)
                    progress.done += 1
                    progress.tick()
            progress.summary()
