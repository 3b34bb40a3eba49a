"""How Zoom's error answers are classified: what the user sees depends on it."""

import pytest
import requests

from tap_zoomphone.zoom import errors
from tap_zoomphone.zoom.api import _classify


def answer(status, body, tracking="rid-1"):
    response = requests.Response()
    response.status_code = status
    response._content = body.encode()
    response.headers["x-zm-trackingid"] = tracking
    return response


USER_PATH = "/phone/users/abc/call_logs"
SYNC_PATH = "/phone/users/abc/call_logs/sync"


@pytest.mark.parametrize(
    ("status", "body", "path", "query", "kind"),
    [
        (
            404,
            '{"code":1001,"message":"User does not exist: abc."}',
            USER_PATH,
            {},
            "UserUnavailable",
        ),
        (400, '{"code":300,"message":"Invalid user id."}', USER_PATH, {}, "UserUnavailable"),
        (
            404,
            '{"code":300,"message":"User not found."}',
            SYNC_PATH,
            {"sync_token": "t"},
            "UserUnavailable",
        ),
        (
            400,
            '{"code":3001,"message":"Error retrieving call logs."}',
            USER_PATH,
            {},
            "UserUnavailable",
        ),
        (
            404,
            '{"code":300,"message":"The sync token is invalid or expired."}',
            SYNC_PATH,
            {"sync_token": "t"},
            "SyncTokenExpired",
        ),
        (
            400,
            '{"code":400,"message":"The next page token is invalid or expired."}',
            USER_PATH,
            {"next_page_token": "p"},
            "PageTokenExpired",
        ),
        (
            400,
            '{"code":300,"message":"The next page token is invalid or expired."}',
            USER_PATH,
            {"next_page_token": "p"},
            "PageTokenExpired",
        ),
        (
            400,
            '{"code":4711,"message":"Invalid access token, does not contain scopes:[phone:read]."}',
            USER_PATH,
            {},
            "MissingScopes",
        ),
        (
            401,
            '{"code":4700,"message":"Invalid access token, does not contain permissions."}',
            USER_PATH,
            {},
            "MissingScopes",
        ),
        (404, '{"code":404,"message":"Not found"}', SYNC_PATH, {}, "EndpointUnavailable"),
        (410, "gone", SYNC_PATH, {}, "EndpointUnavailable"),
        (400, '{"code":300,"message":"Invalid parameter: from."}', USER_PATH, {}, "ZoomAPIError"),
    ],
)
def test_classification(status, body, path, query, kind):
    error = _classify(answer(status, body), path, query)
    assert type(error).__name__ == kind
    assert "rid-1" in str(error)
    assert path in str(error)


def test_the_message_is_one_line_with_the_tracking_id():
    error = _classify(
        answer(404, '{"code":1001,"message":"User does not exist: abc."}'), USER_PATH, {}
    )
    assert isinstance(error, errors.TapError)
    text = str(error)
    assert "\n" not in text
    assert text.endswith("(Zoom tracking id: rid-1)")
