"""Every route's handler, in one table: route name (routes.ROUTES) → the bound method serving it.

Builds the endpoint modules' handler objects once, sharing one pager, and names each route's
handler explicitly, so a reader sees in one list which module answers which route. OAuth and
transcript files are answered by the pipeline itself (pipeline.py), not through this table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zoomphone_emulator.account_lists import AccountLists
from zoomphone_emulator.call_lists import CallLists
from zoomphone_emulator.charges import ChargeReports
from zoomphone_emulator.numbers import NumberLists
from zoomphone_emulator.paging import Pager
from zoomphone_emulator.qos import CallQos
from zoomphone_emulator.queue_analytics import QueueAnalytics
from zoomphone_emulator.recordings import MediaLists
from zoomphone_emulator.sms_lists import SmsLists
from zoomphone_emulator.summaries import Summaries
from zoomphone_emulator.transcripts import Transcripts
from zoomphone_emulator.user_settings import UserSettings

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.paging import Handler
    from zoomphone_emulator.tokens import Signer


class Handlers:
    """The emulated API's request handlers.

    Args:
        config: The live settings.
        clock: The emulator clock.
        account: The account's data.
        signer: Key for page and sync tokens.
        base_url: The emulator's own base URL (for transcript download URLs).

    Attributes:
        calls: Users, call logs and call history, with the rendered-record cache.
        transcripts: Recording transcripts and the file host their downloads redirect to.
        table: Route name → handler; every API route but OAuth.
    """

    def __init__(
        self,
        config: EmulatorConfig,
        clock: EmulatorClock,
        account: PhoneAccount,
        signer: Signer,
        base_url: Callable[[], str] = lambda: "",
    ) -> None:
        """Build the handler objects and the route table."""
        pager = Pager(config, clock, signer)
        self.calls = CallLists(config, clock, account, pager, signer)
        media = MediaLists(config, clock, pager, account)
        sms = SmsLists(clock, pager, account.sms)
        lists = AccountLists(pager, account.directory, account.catalog)
        numbers = NumberLists(pager, account.directory, account.catalog, account.numbers_book)
        settings = UserSettings(self.calls.user, account.catalog)
        charges = ChargeReports(config, pager, account)
        queues = QueueAnalytics(config, clock, pager, account)
        self.transcripts = Transcripts(config, clock, account, base_url)
        summaries = Summaries(config, clock, account)
        qos = CallQos(config, clock, account)
        calls = self.calls
        # In the order of routes.ROUTES (a test holds them together).
        self.table: Mapping[str, Handler] = {
            "users": calls.users,
            "user_call_logs": calls.user_call_logs,
            "user_call_logs_sync": calls.user_call_logs_sync,
            "account_call_logs": calls.account_call_logs,
            "call_history": calls.call_history,
            "user_call_history": calls.user_call_history,
            "user_call_history_sync": calls.user_call_history_sync,
            "call_history_detail": calls.call_history_detail,
            "recordings": media.recordings,
            "voice_mails": media.voice_mails,
            "sms_sessions": sms.sms_sessions,
            "sms_session_detail": sms.sms_session_detail,
            "sites": lists.sites,
            "call_queues": lists.call_queues,
            "auto_receptionists": lists.auto_receptionists,
            "common_areas": lists.common_areas,
            "shared_line_groups": lists.shared_line_groups,
            "devices": lists.devices,
            "numbers": numbers.numbers,
            "emergency_addresses": numbers.emergency_addresses,
            "recording_transcript": self.transcripts.recording_transcript,
            "ai_call_summary": summaries.ai_call_summary,
            "call_queue_analytics": queues.call_queue_analytics,
            "call_qos": qos.call_qos,
            "call_charges": charges.call_charges,
            "sms_charges": charges.sms_charges,
            "user_settings": settings.user_settings,
            "call_queue_members": numbers.call_queue_members,
        }

    def handler(self, name: str) -> Handler:
        """Return the handler of a route.

        Args:
            name: The route name (routes.ROUTES).

        Returns:
            A callable taking the path argument and the query.
        """
        return self.table[name]
