"""How long a request is retried: what the settings say and the API client obeys.

Only failures (5xx, 408, resets, timeouts, truncated answers) spend `max_retries`; Zoom's 429s
are waited out within `max_seconds`, as its Retry-After asks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long transient failures are retried before the run fails with its STATE so far."""

    max_retries: int
    max_seconds: float
    base_wait: float
    timeout: float
