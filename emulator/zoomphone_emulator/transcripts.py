"""Recording transcripts: `/phone/recording_transcript/download/{recordingId}` by Zoom's rules.

The endpoint answers 302 to a download URL on another host (the emulator's own port named
`localhost` instead of `127.0.0.1`), whose file is the transcript as JSON (`timeline` of
utterances). A signed URL carries its own authority: like a presigned object store, the file
host refuses a request that also sends an `Authorization` header (and counts it, so tests can
tell a leaked token). Before a transcript is ready the endpoint answers 400 code 12002 ("still
being transcribed"). A recording's fate follows from its id:

- most are ready minutes after the recording ends, one in five only one to three days later;
- 12001 (transcription disabled), 12003 (download failed) and 12000 (unable to transcribe)
  forever for a few;
- a few answer 12000 for up to a day and are ready after it (users report 12000 for
  transcripts the web portal shows).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from zoomphone_emulator.errors import ApiError
from zoomphone_emulator.media import answered_at
from zoomphone_emulator.queries import Scope

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.media import Media

DAY = 86_400
MESSAGES = {
    12000: "Unable to transcribe this recording.",
    12001: "Admin has disabled this transcription.",
    12002: "This recording is still in the process of being transcribed. "
    "Reopen this recording in a few minutes.",
    12003: "Transcripts failed to download.",
}
LINES = (
    "Thanks for calling, how can I help?",
    "I'd like to check on my order from last week.",
    "Sure, can I have the order number?",
    "It's four five seven two.",
    "Thanks, I see it shipped yesterday.",
)


@dataclass(frozen=True, slots=True)
class Fate:
    """What the endpoint answers for one recording.

    Attributes:
        ready_at: Epoch second from which the transcript is served (None: never).
        code: The error code before then (12002, or 12000 for a portal-visible 12000) or
            forever (12000, 12001, 12003).
    """

    ready_at: int | None
    code: int


def fate(item: Media) -> Fate:
    """Return a recording's transcript fate (fixed by its id and its call's end).

    Args:
        item: The recording.

    Returns:
        The fate.
    """
    mark = int(hashlib.blake2b(item.id.encode(), digest_size=4).hexdigest(), 16)
    roll, spread = mark % 100, (mark >> 8) % 1000 / 1000
    end = item.call.end
    if roll < 4:  # noqa: PLR2004 - the shares of each fate, in percent
        return Fate(None, 12001)
    if roll < 7:  # noqa: PLR2004
        return Fate(None, 12003)
    if roll < 10:  # noqa: PLR2004
        return Fate(None, 12000)
    if roll < 15:  # noqa: PLR2004
        return Fate(end + int(DAY * (0.25 + 0.7 * spread)), 12000)
    if roll < 35:  # noqa: PLR2004
        return Fate(end + int(DAY * (1 + 2 * spread)), 12002)
    return Fate(end + 120 + int(3480 * spread), 12002)


def transcript_file(item: Media, account_id: str) -> dict[str, Any]:
    """Return a recording's transcript as its JSON file holds it.

    Args:
        item: The recording.
        account_id: The account.

    Returns:
        The file's content.
    """
    call = item.call
    start = answered_at(call)
    timeline: list[dict[str, Any]] = [
        {
            "channelMark": "L" if n % 2 == 0 else "R",
            "end_ts": f"00:00:{(n + 1) * 5:02d}.000",
            "raw_text": text,
            "text": text,
            "ts": f"00:00:{n * 5:02d}.000",
            "userId": str(1000 + item.owner) if n % 2 == 0 else "",
            "userIds": [],
            "users": [],
        }
        for n, text in enumerate(LINES[: 2 + len(item.id) % 4])
    ]
    iso = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "account_id": account_id,
        "host_id": "",
        "meeting_id": "",
        "recording_end": datetime.fromtimestamp(call.end, UTC).strftime(iso),
        "recording_id": item.id,
        "recording_start": datetime.fromtimestamp(start, UTC).strftime(iso),
        "timeline": timeline,
        "type": "zoom_transcript",
        "ver": 1,
    }


class Redirect(Exception):  # an answer, not a failure: the handler raises it to say 302
    """The handler's answer is a 302 to `location`."""

    def __init__(self, location: str) -> None:
        """Keep the target."""
        super().__init__(location)
        self.location = location


class Transcripts:
    """The transcript endpoint and its file host.

    Args:
        config: The live settings (ingest delay, account id, secret for signing).
        clock: The emulator clock.
        account: The recordings.
        base_url: The emulator's own base URL (`http://127.0.0.1:PORT`).
    """

    def __init__(
        self,
        config: EmulatorConfig,
        clock: EmulatorClock,
        account: PhoneAccount,
        base_url: Callable[[], str],
    ) -> None:
        """Keep the collaborators; no recording index yet."""
        self._config = config
        self._clock = clock
        self._account = account
        self._base_url = base_url
        self._index: dict[str, Media] = {}
        self._indexed_at = -1
        self.bearer_on_download = 0

    def find(self, recording_id: str) -> Media | None:
        """Return a visible recording by id (the index is rebuilt when the clock has moved).

        Args:
            recording_id: The id.

        Returns:
            The recording, or None.
        """
        now = int(self._clock.timestamp())
        if recording_id not in self._index and now != self._indexed_at:
            scope = Scope(
                0, now, by_end=False, snapshot_ms=now * 1000, delay=self._config.ingest_delay
            )
            self._index = {item.id: item for item in self._account.media.recordings(scope)}
            self._indexed_at = now
        return self._index.get(recording_id)

    def _signature(self, recording_id: str) -> str:
        key = f"{self._config.client_secret}:{recording_id}".encode()
        return hashlib.blake2b(key, digest_size=12).hexdigest()

    def recording_transcript(self, arg: str, _query: dict[str, str]) -> tuple[dict[str, Any], int]:
        """GET /phone/recording_transcript/download/{recordingId}: 302, or 400 with a code.

        Args:
            arg: The recording id.
            _query: Unused.

        Returns:
            Never: a transcript answers with a redirect.

        Raises:
            Redirect: to the transcript's file.
            ApiError: 400 code 404 for an unknown recording; 400 with the fate's code before
                the transcript is ready, or forever.
        """
        item = self.find(arg)
        if item is None:
            raise ApiError(400, 404, "File does not exist.")
        known = fate(item)
        if known.ready_at is None or self._clock.timestamp() < known.ready_at:
            raise ApiError(400, known.code, MESSAGES[known.code])
        host = self._base_url().replace("://127.0.0.1:", "://localhost:", 1)
        location = f"{host}/files/transcripts/{arg}.json?signature={self._signature(arg)}"
        raise Redirect(location)

    def file(self, arg: str, query: dict[str, str], authorization: str | None) -> dict[str, Any]:
        """GET the transcript file at a download URL.

        Args:
            arg: The recording id.
            query: The URL's query (its signature).
            authorization: The request's Authorization header, if any.

        Returns:
            The file's JSON.

        Raises:
            ApiError: 400 when an Authorization header comes along with the signature; 403
                for a wrong signature; 404 for an unknown recording.
        """
        if authorization:
            self.bearer_on_download += 1
            raise ApiError(400, 400, "Only one auth mechanism allowed.")
        if query.get("signature") != self._signature(arg):
            raise ApiError(403, 403, "Request has expired or the signature does not match.")
        item = self.find(arg)
        if item is None:
            raise ApiError(404, 404, "File does not exist.")
        return transcript_file(item, self._config.account_id)

    def ready_ids(self, start: int, now: int) -> set[str]:
        """Return the ids of the recordings since `start` whose transcript is served by `now`.

        Args:
            start: First epoch second (on the recording's `date_time`).
            now: The instant.

        Returns:
            The recording ids.
        """
        scope = Scope(
            start, now, by_end=False, snapshot_ms=now * 1000, delay=self._config.ingest_delay
        )
        return {
            item.id
            for item in self._account.media.recordings(scope)
            if (ready := fate(item).ready_at) is not None and ready <= now
        }

    def never_ids(self, start: int, now: int) -> dict[str, int]:
        """Return the recordings since `start` that will never have a transcript, with codes.

        Args:
            start: First epoch second (on the recording's `date_time`).
            now: The instant.

        Returns:
            recording id -> the code Zoom answers forever.
        """
        scope = Scope(
            start, now, by_end=False, snapshot_ms=now * 1000, delay=self._config.ingest_delay
        )
        return {
            item.id: known.code
            for item in self._account.media.recordings(scope)
            if (known := fate(item)).ready_at is None
        }
