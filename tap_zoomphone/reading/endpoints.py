"""Zoom endpoints as declarations: path, rate label, array names, ids, page cap, parameters.

A stream names its endpoint(s) with one `Endpoint` each; how the stream is traversed (per user
with sync tokens, account-wide by month windows, child of a window) is written once in its base
class. Zoom renames arrays and ids while endpoints roll out: `arrays` lists every generation's
array name, `ids` the key fields newest first, and `renames` fills a new field from the old one,
so the next rename is a one-line change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tap_zoomphone.reading.listing import ListQuery, Record, records_of

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tap_zoomphone.settings import Settings


@dataclass(frozen=True)
class Param:
    """A query parameter whose value comes from a setting.

    A parameter that `narrows` what the endpoint returns (which the sync endpoint cannot do)
    names the setting's value that means "everything".
    """

    name: str
    value: Callable[[Settings], str | None]
    narrows: bool = False
    everything: str | None = None


# The call-history endpoints spell the time filter in snake case.
SNAKE_CASE_TIME_TYPES = {"startTime": "start_time", "endTime": "end_time"}

CALL_LOG_TYPE = Param("type", lambda s: s.call_log_type, narrows=True, everything="all")
TIME_TYPE = Param("time_type", lambda s: s.time_type)
HISTORY_TIME_TYPE = Param(
    "time_type", lambda s: SNAKE_CASE_TIME_TYPES.get(s.time_type, s.time_type)
)
PHONE_NUMBER = Param("phone_number", lambda s: s.phone_number, narrows=True)


@dataclass(frozen=True)
class Endpoint:
    """One Zoom endpoint as a stream reads it."""

    path: str
    label: str
    arrays: tuple[str, ...]
    ids: tuple[str, ...] = ("id",)
    # Zoom's largest page: a list's page_size, a sync endpoint's count. None: the endpoint
    # answers one object, or pages at a size of its own choosing.
    page_cap: int | None = None
    # The parameter that sizes a page: `count` on the sync endpoints (their settings say it).
    sized_by: str = "page_size"
    params: tuple[Param, ...] = ()
    renames: Mapping[str, str] = field(default_factory=dict)
    # Some endpoints return a next_page_token on their last page: trust the counts there.
    stop_on_counts: bool = False
    # Parameters the tap always sends as they are (the choices README's stream notes explain).
    fixed: Mapping[str, str] = field(default_factory=dict)

    def records(self, body: dict[str, Any]) -> list[Record]:
        """The record array of an answer, under whichever of its names Zoom used."""
        return records_of(body, self.arrays)

    def record_id(self, record: Record) -> object:
        """The record's key: the first of `ids` it carries."""
        for name in self.ids:
            value = record.get(name)
            if value:
                return value
        return None

    def normalize(self, record: Record) -> Record:
        """Fill each new field from its old name when Zoom sent only the old one."""
        for new, old in self.renames.items():
            if not record.get(new) and record.get(old):
                record[new] = record[old]
        return record

    def page(self, wanted: int) -> int:
        """A page size within the endpoint's cap."""
        return min(wanted, self.page_cap) if self.page_cap else wanted

    def query_params(self, settings: Settings) -> dict[str, Any]:
        """The parameters taken from settings: the page size and the filters."""
        params: dict[str, Any] = {param.name: param.value(settings) for param in self.params}
        if self.page_cap and self.sized_by == "page_size":
            params["page_size"] = self.page(settings.page_size)
        return {**params, **self.fixed}

    def filters_in_use(self, settings: Settings) -> str:
        """The parameters narrowing the list to less than everything ('' for none)."""
        used = [
            param.name
            for param in self.params
            if param.narrows and param.value(settings) != param.everything
        ]
        return " and ".join(used)

    def query(
        self,
        settings: Settings,
        *,
        stream: str,
        user: str | None = None,
        path_args: Mapping[str, str] | None = None,
    ) -> ListQuery:
        """What to ask this (list) endpoint, apart from the window and the page token."""
        query = ListQuery(
            stream=stream,
            path=self.path,
            label=self.label,
            records_keys=self.arrays,
            record_id=self.record_id,
            params=self.query_params(settings),
            path_args=dict(path_args or {}),
            stop_on_counts=self.stop_on_counts,
        )
        return query if user is None else query.for_user(user)
