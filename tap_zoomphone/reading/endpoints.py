"""Zoom endpoints as declarations: path, rate label, array names, ids and parameters.

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
    from collections.abc import Mapping

    from tap_zoomphone.settings import Settings


@dataclass(frozen=True)
class Param:
    """A query parameter whose value comes from a setting.

    `values` translates the setting's value (the call-history endpoints spell `time_type` in
    snake case); `filters` marks a parameter that narrows what the endpoint returns, which the
    sync endpoint cannot do.
    """

    name: str
    setting: str
    values: Mapping[str, str] | None = None
    filters: bool = False

    def value(self, settings: Settings) -> Any:  # noqa: ANN401  # whatever type the setting has
        """The parameter's value for these settings (None leaves it out of the query)."""
        value = getattr(settings, self.setting)
        return self.values.get(value, value) if self.values and value is not None else value


PAGE_SIZE = Param("page_size", "page_size")
CALL_LOG_TYPE = Param("type", "call_log_type", filters=True)
TIME_TYPE = Param("time_type", "time_type")
# The call-history endpoints name the time filter in snake case.
HISTORY_TIME_TYPE = Param(
    "time_type", "time_type", values={"startTime": "start_time", "endTime": "end_time"}
)
PHONE_NUMBER = Param("phone_number", "phone_number", filters=True)
# Settings whose default means "no filter".
UNFILTERED = {"call_log_type": "all", "phone_number": None}


@dataclass(frozen=True)
class Endpoint:
    """One Zoom endpoint as a stream reads it."""

    path: str
    label: str
    arrays: tuple[str, ...]
    ids: tuple[str, ...] = ("id",)
    params: tuple[Param, ...] = ()
    page_cap: int = 300
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

    def query_params(self, settings: Settings) -> dict[str, Any]:
        """The parameters taken from settings (a page size within this endpoint's cap)."""
        params = {param.name: param.value(settings) for param in self.params}
        if params.get("page_size"):
            params["page_size"] = min(params["page_size"], self.page_cap)
        return {**params, **self.fixed}

    def filters_in_use(self, settings: Settings) -> str:
        """The filtering parameters set to something other than 'everything' ('' for none)."""
        used = [
            param.name
            for param in self.params
            if param.filters and getattr(settings, param.setting) != UNFILTERED[param.setting]
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
