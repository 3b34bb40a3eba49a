import datetime as dt
import itertools

import pytest

from tap_zoomphone.reading.windows import (
    ONE_SECOND,
    Window,
    add_months,
    month_windows,
    readable_floor,
    strict_floor,
    unserved_spans,
)
from tap_zoomphone.zoom.moments import read_moment

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-05-23T10:11:12", "2026-11-23T09:00:00"),
        ("2026-01-31T00:00:00", "2026-07-30T23:59:59"),
        ("2026-11-01T00:00:00", "2026-11-01T00:00:00"),
        ("2026-02-28T23:59:59", "2026-03-01T00:00:01"),
    ],
)
def test_windows_cover_the_range_without_gaps_or_overlaps(start, end):
    windows = month_windows(at(start), at(end))
    assert windows[0].start == at(start)
    assert windows[-1].end == at(end)
    for before, after in itertools.pairwise(windows):
        assert after.start == before.end + ONE_SECOND
    for window in windows:
        assert window.start <= window.end
        # never longer than one month: Zoom would silently serve only the last month
        assert window.start >= add_months(window.end, -1)


def test_six_months_is_six_windows():
    assert len(month_windows(at("2026-05-23T10:00:00"), at("2026-11-23T09:59:59"))) == 6


def test_end_before_start_gives_no_window():
    assert month_windows(at("2026-05-02T00:00:00"), at("2026-05-01T00:00:00")) == []


def test_add_months_clamps_to_month_end():
    assert add_months(at("2026-03-31T12:00:00"), -1) == at("2026-02-28T12:00:00")
    assert add_months(at("2026-01-31T12:00:00"), 13) == at("2027-02-28T12:00:00")


def test_readable_floor_is_the_start_of_the_day_six_months_ago():
    assert readable_floor(at("2026-11-23T10:00:00")) == at("2026-05-23T00:00:00")
    assert readable_floor(at("2026-08-31T23:59:59")) == at("2026-02-28T00:00:00")


def test_strict_floor_is_just_inside_six_months_to_the_second():
    floor = strict_floor(at("2026-11-23T10:00:00"))
    assert at("2026-05-23T10:00:00") < floor <= at("2026-05-23T10:15:00")


def test_window_params_are_zoom_datetimes():
    window = Window(at("2026-10-01T00:00:00"), at("2026-10-31T23:59:59"))
    assert window.params == {"from": "2026-10-01T00:00:00Z", "to": "2026-10-31T23:59:59Z"}


def test_echo_dates_mean_whole_days():
    assert read_moment("2026-10-01", end_of_day=False) == at("2026-10-01T00:00:00")
    assert read_moment("2026-10-01", end_of_day=True) == at("2026-10-01T23:59:59")
    assert read_moment("2026-10-01T05:06:07Z", end_of_day=True) == at("2026-10-01T05:06:07")
    assert read_moment("", end_of_day=True) is None
    assert read_moment("yesterday", end_of_day=True) is None


def test_served_range_covering_the_window_leaves_nothing_unserved():
    window = Window(at("2026-10-01T08:00:00"), at("2026-10-31T23:59:59"))
    assert unserved_spans(window, {"from": "2026-10-01", "to": "2026-10-31"}) == []
    assert unserved_spans(window, {}) == []


def test_shrunk_range_names_the_span_zoom_did_not_serve():
    window = Window(at("2026-09-01T00:00:00"), at("2026-10-31T23:59:59"))
    gaps = unserved_spans(window, {"from": "2026-10-01T00:00:00Z", "to": "2026-10-31T23:59:59Z"})
    assert gaps == [Window(at("2026-09-01T00:00:00"), at("2026-09-30T23:59:59"))]
    tail = unserved_spans(window, {"from": "2026-09-01", "to": "2026-10-20"})
    assert tail == [Window(at("2026-10-21T00:00:00"), at("2026-10-31T23:59:59"))]
