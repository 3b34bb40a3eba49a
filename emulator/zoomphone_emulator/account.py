"""The emulated account's data, wired together.

Users, calls, their facts and queries; the other extensions and desk phones; recordings,
voicemails and SMS; phone numbers, emergency addresses and call queue members.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from zoomphone_emulator.calls import CallBook
from zoomphone_emulator.catalog import Catalog
from zoomphone_emulator.directory import Directory
from zoomphone_emulator.facts import FactsBook
from zoomphone_emulator.ids import CallCodec
from zoomphone_emulator.media import MediaBook
from zoomphone_emulator.numbers import NumberBook
from zoomphone_emulator.queries import Queries
from zoomphone_emulator.settling import Settling
from zoomphone_emulator.sms import SmsBook

if TYPE_CHECKING:
    from zoomphone_emulator.calls import Call
    from zoomphone_emulator.config import EmulatorConfig

UUID_CACHE_SIZE = 65_536


class PhoneAccount:
    """Users, calls and everything derived from them, for one seed.

    Args:
        config: The settings (only the data-shaping fields are read).
        origin: Epoch second before which no call exists.
    """

    def __init__(self, config: EmulatorConfig, origin: int) -> None:
        """Build the directory and the lazy call machinery."""
        self.directory = Directory(config.seed, config.users, config.sites)
        self.codec = CallCodec(config.seed)
        self.book = CallBook(
            config.seed,
            config.users,
            config.calls_per_user,
            config.history_days,
            origin,
            config.voicemail_share,
            Settling(
                config.late_share,
                config.late_median_hours,
                config.change_share,
                config.change_median_hours,
            ),
        )
        self.facts = FactsBook(config.seed, self.directory, self.book, config.recording_share)
        # A UUID takes four blake2b rounds; the elements of a call all show it.
        self.uuid = functools.lru_cache(maxsize=UUID_CACHE_SIZE)(self._uuid)
        self.queries = Queries(self.book, self.numbers, self.uuid)
        self.catalog = Catalog(config, self.directory)
        self.media = MediaBook(self.book, self.facts)
        self.sms = SmsBook(config, self.directory, self.catalog, origin)
        self.numbers_book = NumberBook(self.directory, self.catalog)

    def numbers(self, call: Call) -> tuple[str, ...]:
        """Return the phone numbers a call shows (what `phone_number` filters on).

        Args:
            call: The call.

        Returns:
            Direct numbers and legacy numbers of both parties.
        """
        facts = self.facts.facts(call)
        return facts.caller.did, facts.callee.did, facts.caller.number, facts.callee.number

    def _uuid(self, call: Call) -> str:
        """Return a call's call-history UUID (`uuid` is this, cached).

        Args:
            call: The call.

        Returns:
            The UUID.
        """
        return self.codec.encode(call.kind, call.owner, call.day, call.slot)

    def find_call(self, uuid: str) -> Call | None:
        """Find a call from its call-history UUID.

        Args:
            uuid: The UUID.

        Returns:
            The call, or None for an unknown or forged UUID.
        """
        coordinates = self.codec.decode(uuid)
        if coordinates is None:
            return None
        call = self.book.find(*coordinates)
        return call if call is not None and self.uuid(call) == uuid.lower() else None
