"""Reading a list to its end against a scripted Zoom: what is kept, re-read, or refused."""

from __future__ import annotations

import logging

import pytest

from tap_zoomphone.reading.listing import MAX_READS, ListQuery, list_pages
from tap_zoomphone.zoom.api import Reply
from tap_zoomphone.zoom.errors import ListIncomplete


class ScriptedList:
    """Answers each page token with its scripted page; counts the requests."""

    def __init__(self, pages: dict[str | None, dict]) -> None:
        self.pages = pages
        self.requests = 0

    def get(self, _path, *, params, **_where):
        self.requests += 1
        return Reply(body=self.pages[params.get("next_page_token")], tracking_id=None)


QUERY = ListQuery(
    stream="sms_sessions",
    path="/phone/sms/sessions",
    label="Medium",
    records_keys=("sms_sessions",),
    record_id=lambda record: record.get("session_id"),
)


def read(zoom):
    return [record for page in list_pages(zoom, QUERY) for record in page]


def test_records_without_an_id_are_all_kept():
    zoom = ScriptedList(
        {
            None: {"sms_sessions": [{"n": 1}, {"n": 2}], "next_page_token": "t1"},
            "t1": {"sms_sessions": [{"n": 3}, {"session_id": "s"}], "next_page_token": ""},
        }
    )
    assert read(zoom) == [{"n": 1}, {"n": 2}, {"n": 3}, {"session_id": "s"}]


def test_a_repeat_without_counts_to_prove_the_list_complete_is_refused(caplog):
    # No page_count or total_records: a page pointing back at itself may hide more pages.
    zoom = ScriptedList(
        {
            None: {"sms_sessions": [{"session_id": "a"}], "next_page_token": "t1"},
            "t1": {"sms_sessions": [{"session_id": "b"}], "next_page_token": "t1"},
        }
    )
    pages = list_pages(zoom, QUERY)
    first, second = next(pages), next(pages)
    with caplog.at_level(logging.WARNING), pytest.raises(ListIncomplete) as failed:
        list(pages)
    assert first + second == [{"session_id": "a"}, {"session_id": "b"}]
    assert zoom.requests == 2 * MAX_READS
    assert "after 2 of an unknown number of records" in str(failed.value)
    assert len(caplog.records) == MAX_READS - 1


def test_a_repeat_on_a_page_the_counts_call_the_last_ends_the_list(caplog):
    zoom = ScriptedList(
        {
            None: {"sms_sessions": [{"session_id": "a"}], "next_page_token": "t1", "page_count": 2},
            "t1": {"sms_sessions": [{"session_id": "b"}], "next_page_token": "t1", "page_count": 2},
        }
    )
    with caplog.at_level(logging.DEBUG, logger="tap-zoomphone"):
        assert read(zoom) == [{"session_id": "a"}, {"session_id": "b"}]
    assert zoom.requests == 2
    assert caplog.records == []
