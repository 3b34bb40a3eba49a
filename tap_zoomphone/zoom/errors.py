"""What can go wrong talking to Zoom, named the way a user needs to hear it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime


class TapError(Exception):
    """An error the tap reports as one line and a non-zero exit, without a traceback."""

    exit_code = 1


class ConfigError(TapError):
    """The configuration cannot work; raised before any request is made."""


class AuthenticationFailed(TapError):
    """Zoom refused the Server-to-Server OAuth credentials, or the token endpoint failed."""


class ZoomAPIError(TapError):
    """Zoom answered a request with an error that retrying will not fix."""

    def __init__(  # noqa: PLR0913  # keyword-only details of one error
        self,
        *,
        status: int,
        code: int | None,
        message: str,
        path: str,
        tracking_id: str | None,
        hint: str = "",
    ) -> None:
        """Keep every detail a support ticket needs; the access token is never one of them."""
        self.status = status
        self.code = code
        self.zoom_message = message
        self.path = path
        self.tracking_id = tracking_id
        code_part = f", code {code}" if code is not None else ""
        text = f"Zoom answered HTTP {status}{code_part} for GET {path}: {message}"
        if hint:
            text += f" {hint}"
        if tracking_id:
            text += f" (Zoom tracking id: {tracking_id})"
        super().__init__(text)


class MissingScopes(ZoomAPIError):
    """The Zoom app lacks a scope the selected streams need (codes 4700, 4711)."""


class UserUnavailable(ZoomAPIError):
    """One user cannot be read (1001 user does not exist, 3001 logs cannot be retrieved)."""


class PageTokenExpired(ZoomAPIError):
    """A `next_page_token` is older than its 15 minutes or otherwise rejected."""


class SyncTokenExpired(ZoomAPIError):
    """A stored `sync_token` is invalid or expired (404, code 300)."""


class EndpointUnavailable(ZoomAPIError):
    """The endpoint itself is not served to this account (deprecated, sunset, not found)."""


class ListIncomplete(TapError):
    """A list, or one window of it, could not be read to its end, even read again from its start."""

    def __init__(
        self, *, stream: str, what: str, reads: int, problem: str, bookmarked: bool
    ) -> None:
        """Name the list, what kept it from completing, and what the next run does."""
        self.stream = stream
        after = (
            "The stream's bookmark stays before it: the next run reads it again."
            if bookmarked
            else "The next run reads it again."
        )
        super().__init__(
            f"Could not read {what} to its end in {reads} reads from its start: {problem}. {after}"
        )


class RetriesExhausted(TapError):
    """A transient failure outlasted the retry budget (count or time)."""

    def __init__(self, *, path: str, attempts: int, last_failure: str, throttled: int = 0) -> None:
        """Name the request, how often it was tried, and the last thing that went wrong."""
        self.path = path
        # Rate-limited answers are waited out, not counted as attempts: say how many there were.
        besides = f" (and {throttled} rate-limited answers waited out)" if throttled else ""
        super().__init__(
            f"Gave up on GET {path} after {attempts} attempts{besides}; "
            f"last failure: {last_failure}",
        )


class DailyLimitReached(TapError):
    """Zoom's daily request cap for a rate-limit label is spent until `resets_at`."""

    exit_code = 75  # EX_TEMPFAIL: the same run succeeds after the cap resets

    def __init__(
        self, *, label: str, resets_at: datetime.datetime | None, message: str = ""
    ) -> None:
        """Say when the cap resets so the user knows when to run again."""
        self.label = label
        self.resets_at = resets_at
        when = resets_at.strftime("%Y-%m-%dT%H:%M:%SZ") if resets_at else "an unknown time"
        super().__init__(
            message
            or f"Zoom's daily request limit for {label} APIs is reached; it resets at {when}. "
            "The STATE emitted so far resumes exactly where this run stopped.",
        )


class RunIncomplete(TapError):
    """A selected stream could not be read (its endpoint is retired); the others completed."""

    exit_code = 69  # EX_UNAVAILABLE: a service the run needs is not available


class StreamsFailed(RunIncomplete):
    """A selected stream failed part-way (a list that would not complete); the others completed."""

    exit_code = 1  # the same run is expected to succeed when tried again
