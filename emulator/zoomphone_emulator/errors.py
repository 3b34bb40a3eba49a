"""Zoom's error answers, raised anywhere in request handling and rendered by the server."""

from __future__ import annotations

from typing import Any, NoReturn


class ApiError(Exception):
    """An error response: HTTP status plus Zoom's JSON body.

    Args:
        status: HTTP status.
        code: Zoom error code (ignored when `body` is given).
        message: Zoom error message (ignored when `body` is given).
        body: A full body for errors that are not `{code, message}` (OAuth).
        headers: Extra response headers.
    """

    def __init__(
        self,
        status: int,
        code: int = 0,
        message: str = "",
        *,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Build the error."""
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.body: dict[str, Any] = body if body is not None else {"code": code, "message": message}
        self.headers = headers or {}


def invalid_parameter(name: str) -> ApiError:
    """Return Zoom's 400 for a bad query parameter.

    Args:
        name: The parameter.

    Returns:
        The error.
    """
    return ApiError(400, 300, f"Invalid parameter: {name}.")


def reject_parameter(name: str) -> NoReturn:
    """Raise Zoom's 400 for a bad query parameter.

    Args:
        name: The parameter.

    Raises:
        ApiError: 400 code 300 "Invalid parameter: <name>.".
    """
    raise invalid_parameter(name)


def validation_failed(name: str) -> ApiError:
    """Return Zoom's 400 for a required or enumerated parameter missing or out of its values.

    Args:
        name: The parameter.

    Returns:
        The error: code 300 "Validation Failed." with the field in `errors[]`.
    """
    body = {
        "code": 300,
        "message": "Validation Failed.",
        "errors": [{"field": name, "message": "Invalid field."}],
    }
    return ApiError(400, body=body)


def invalid_access_token(*, expired: bool = False) -> ApiError:
    """Return Zoom's 401 for a missing, unknown, revoked or expired access token.

    Args:
        expired: Use the expired-token wording.

    Returns:
        The error.
    """
    message = "Access token is expired." if expired else "Invalid access token."
    return ApiError(401, 124, message)


def invalid_sync_token() -> ApiError:
    """Return Zoom's 404 for an invalid or expired sync token.

    Returns:
        The error.
    """
    return ApiError(404, 300, "The sync token is invalid or expired.")


def invalid_page_token(code: int) -> ApiError:
    """Return Zoom's 400 for an invalid or expired page token.

    Args:
        code: The Zoom error code to use (`page_token_error_code`).

    Returns:
        The error.
    """
    return ApiError(400, code, "The next page token is invalid or expired.")
