"""The charge reports, phone numbers and call queue members by Zoom's rules."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient


def test_charge_reports_reach_13_months_and_refuse_older(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=3, calls_per_user=80, history_days=430)
    # NOW is 2026-11-20: a year back is served (the call logs stop at six months)...
    year_ago = {"from": "2025-12-01", "to": "2025-12-31"}
    body = api.ok("/phone/reports/call_charges", **year_ago, page_size=300)
    assert body["call_charges"]
    assert (body["from"], body["to"]) == ("2025-12-01", "2025-12-31")
    logs = {c["call_log_id"] for c in body["call_charges"]}
    assert len(logs) == len(body["call_charges"])  # one charge per call log
    # ... and more than 13 months back is refused, as Zoom words it.
    old = api.get("/phone/reports/sms_charges", **{"from": "2025-10-01", "to": "2025-10-31"})
    assert old.status_code == 400
    assert old.json()["code"] == 400
    assert "13 months" in old.json()["message"]


def test_numbers_by_type_and_queue_members(api: ZoomClient) -> None:
    every = api.records("/phone/numbers", "phone_numbers", type="all", page_size=100)
    byoc = api.records("/phone/numbers", "phone_numbers", type="byoc", page_size=100)
    assert byoc
    assert {n["source"] for n in byoc} == {"external"}
    assert not {n["id"] for n in byoc} & {n["id"] for n in every}
    assert api.get("/phone/numbers", type="mine").status_code == 400
    queue = api.ok("/phone/call_queues")["call_queues"][0]["id"]
    members = api.ok(f"/phone/call_queues/{queue}/members")
    assert members["call_queue_members"]
    assert members["next_page_token"] == ""
    assert api.get("/phone/call_queues/nope/members").status_code == 400


def test_a_transcript_redirects_to_a_file_host_that_refuses_the_token(api: ZoomClient) -> None:
    emu = api.emu
    start = emu.clock.now() - dt.timedelta(days=30)
    month = {"from": start.date().isoformat(), "to": emu.clock.now().date().isoformat()}
    recordings = api.records("/phone/recordings", "recordings", **month, page_size=300)
    codes: dict[int, int] = {}
    for recording in recordings:
        answer = api.session.get(
            f"{emu.api_url}/phone/recording_transcript/download/{recording['id']}",
            allow_redirects=False,
            timeout=10,
        )
        if answer.status_code == 302:
            location = answer.headers["Location"]
            assert urlsplit(location).hostname == "localhost"  # another host than the API's
            assert api.session.get(location, timeout=10).status_code == 400  # with the token
            bare = api.session.get(location, headers={"Authorization": ""}, timeout=10)
            assert bare.status_code == 200
            assert bare.json()["recording_id"] == recording["id"]
            assert bare.json()["timeline"]
            codes[302] = codes.get(302, 0) + 1
        else:
            assert answer.status_code == 400
            code = answer.json()["code"]
            assert code in {12000, 12001, 12002, 12003}
            codes[code] = codes.get(code, 0) + 1
    assert codes[302] > len(recordings) / 2
    assert emu.handlers.transcripts.bearer_on_download == codes[302]
    # An unknown recording: Zoom's "File does not exist." under HTTP 400.
    unknown = api.get("/phone/recording_transcript/download/0123")
    assert (unknown.status_code, unknown.json()["code"]) == (400, 404)
