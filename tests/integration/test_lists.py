"""Every list and every window read to its end, whatever Zoom does with its page tokens.

A token that expires (15 minutes) or that Zoom repeats before its envelope says the list is
complete sends the read back to the list's start; a read that still cannot finish fails its
stream alone, with its bookmark held, one ERROR line for the run, and exit 1.
"""

from __future__ import annotations

import pytest

from tests.tapruns import emulator_config, run_tap, selecting
from zoomphone_emulator import Fault

READS = 6  # of one list from its start before it fails


@pytest.fixture
def account(emulator_factory):
    return emulator_factory(seed=73, users=8, calls_per_user=60)


@pytest.fixture
def many_users(emulator_factory):
    # More than the 100 users of one page of GET /phone/users.
    return emulator_factory(seed=74, users=150, calls_per_user=4)


def requests_to(emulator, endpoint):
    return emulator.stats()["requests_by_endpoint"].get(endpoint, 0)


def finished(run, stream):
    return any(f"{stream} finished: " in line for line in run.stderr.splitlines())


def test_a_whole_list_is_read_again_after_its_page_token_expires(account):
    account.add_fault(Fault(kind="page_token_expiry", endpoint="call_queues", count=2))
    catalog = selecting("call_queues", "sites")
    run = run_tap(emulator_config(account, page_size=1), catalog=catalog)
    assert run.returncode == 0, run.stderr
    assert set(run.ids("call_queues")) == account.truth.call_queue_ids()
    assert run.duplicates("call_queues") == []
    assert "the whole list: Zoom's next_page_token expired" in run.stderr
    assert account.stats()["status_counts"].get(400) == 2


def test_a_list_whose_token_keeps_expiring_fails_alone(account):
    account.add_fault(Fault(kind="page_token_expiry", endpoint="call_queues", count=0))
    catalog = selecting("call_queues", "devices", "phone_users", "sites")
    run = run_tap(emulator_config(account, page_size=2), catalog=catalog)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    (error,) = run.error_lines
    assert "call_queues: Could not read GET /phone/call_queues to its end in 6 reads" in error
    assert "The next page token is invalid or expired" in error
    assert "The other selected streams completed." in error
    # each read: the first page, then the page its token was refused for
    assert requests_to(account, "call_queues") == 2 * READS
    assert set(run.ids("devices")) == account.truth.device_ids()
    assert set(run.ids("sites")) == account.truth.site_ids()
    assert len(run.records("phone_users")) == len(account.user_ids())
    for stream in ("devices", "phone_users", "sites"):
        assert finished(run, stream), stream
    assert "call_queues failed: " in run.stderr


def test_the_users_list_is_read_in_pages_of_the_page_size_setting(many_users):
    run = run_tap(emulator_config(many_users, page_size=40), catalog=selecting("phone_users"))
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("phone_users")) == sorted(many_users.user_ids())
    assert requests_to(many_users, "users") == 4  # 150 users, 40 a page


def test_the_users_list_is_read_again_after_its_page_token_expires(many_users):
    many_users.add_fault(Fault(kind="page_token_expiry", endpoint="users", count=1))
    run = run_tap(emulator_config(many_users))
    assert run.returncode == 0, run.stderr
    assert run.ids("phone_users") == list(dict.fromkeys(run.ids("phone_users")))
    assert set(run.ids("phone_users")) == set(many_users.user_ids())
    truth = set().union(*(many_users.truth.call_log_ids(u) for u in many_users.user_ids()))
    assert set(run.ids("call_logs")) == truth
    assert run.duplicates("call_logs") == []


def test_a_users_list_that_never_completes_fails_only_the_streams_that_need_it(many_users):
    many_users.add_fault(Fault(kind="page_token_expiry", endpoint="users", count=0))
    catalog = selecting("phone_users", "call_logs", "sites")
    run = run_tap(emulator_config(many_users), catalog=catalog)
    assert run.returncode == 1, run.stderr
    (error,) = run.error_lines
    assert "call_logs: Could not read GET /phone/users to its end" in error
    assert "phone_users: Could not read GET /phone/users to its end" in error
    assert requests_to(many_users, "users") == 2 * READS  # listed once for both streams
    assert requests_to(many_users, "user_call_logs_sync") == 0
    assert set(run.ids("sites")) == many_users.truth.site_ids()
    assert finished(run, "sites")


def test_a_token_repeated_once_inside_a_window_rereads_it(account):
    account.add_fault(
        Fault(kind="page_token_repeat", endpoint="account_call_logs", after=1, count=1)
    )
    catalog = selecting("account_call_logs")
    run = run_tap(emulator_config(account, page_size=20, max_workers=1), catalog=catalog)
    assert run.returncode == 0, run.stderr
    assert set(run.ids("account_call_logs")) == account.truth.account_call_log_ids()
    assert run.duplicates("account_call_logs") == []
    # the third page pointed back at itself: its 20 records came, the window was read again
    assert "Zoom repeated a next_page_token after 60 of " in run.stderr
    assert run.state["bookmarks"]["account_call_logs"]["synced_to"]


def test_a_window_whose_token_keeps_repeating_fails_with_its_bookmark_held(account):
    account.add_fault(Fault(kind="page_token_repeat", endpoint="account_call_logs", count=0))
    catalog = selecting("account_call_logs", "sites")
    run = run_tap(emulator_config(account, page_size=20, max_workers=1), catalog=catalog)
    assert run.returncode == 1, run.stderr
    (error,) = run.error_lines
    assert "account_call_logs: Could not read GET /phone/call_logs for " in error
    assert "Zoom repeated a next_page_token after 40 of " in error
    assert "bookmark stays before it" in error
    assert requests_to(account, "account_call_logs") == 2 * READS
    # the first window has more than one page: no window completed, so no bookmark moved
    read = set(run.ids("account_call_logs"))
    assert read < account.truth.account_call_log_ids()
    assert "synced_to" not in run.state.get("bookmarks", {}).get("account_call_logs", {})
    assert set(run.ids("sites")) == account.truth.site_ids()


def test_a_token_repeated_on_the_last_page_of_a_complete_list_ends_it_quietly(account):
    # page_size 1: the third request reads the last call queue; Zoom repeats its token there.
    account.add_fault(Fault(kind="page_token_repeat", endpoint="call_queues", after=1, count=1))
    catalog = selecting("call_queues")
    run = run_tap(emulator_config(account, page_size=1), catalog=catalog)
    assert run.returncode == 0, run.stderr
    assert len(account.truth.call_queue_ids()) == 3
    assert set(run.ids("call_queues")) == account.truth.call_queue_ids()
    assert requests_to(account, "call_queues") == 3
    assert "repeated" not in run.stderr
