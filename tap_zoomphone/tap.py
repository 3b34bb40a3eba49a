"""tap-zoomphone: the settings and the streams."""

from __future__ import annotations

import typing as t
from functools import cached_property

from singer_sdk import Tap
from singer_sdk.helpers.capabilities import PluginCapabilities, TapCapabilities
from typing_extensions import override

from tap_zoomphone.output.writer import OrjsonWriter
from tap_zoomphone.run import ZoomRun
from tap_zoomphone.settings import SETTINGS, Settings
from tap_zoomphone.streams.call_history import (
    CallElementsStream,
    CallHistoryStream,
    CallQosStream,
    UserCallHistoryStream,
)
from tap_zoomphone.streams.call_logs import AccountCallLogsStream, CallLogsStream
from tap_zoomphone.streams.charges import CallChargesStream, SmsChargesStream
from tap_zoomphone.streams.media import RecordingsStream, VoicemailsStream
from tap_zoomphone.streams.numbers import EmergencyAddressesStream, PhoneNumbersStream
from tap_zoomphone.streams.phone_system import (
    AutoReceptionistsStream,
    CallQueueMembersStream,
    CallQueuesStream,
    CommonAreasStream,
    DevicesStream,
    SharedLineGroupsStream,
    SitesStream,
)
from tap_zoomphone.streams.queues import CallQueueAnalyticsStream
from tap_zoomphone.streams.sms import SmsMessagesStream, SmsSessionsStream
from tap_zoomphone.streams.summaries import AiCallSummariesStream
from tap_zoomphone.streams.transcripts import RecordingTranscriptsStream
from tap_zoomphone.streams.users import PhoneUsersStream, UserSettingsStream
from tap_zoomphone.zoom.errors import ConfigError

if t.TYPE_CHECKING:
    from singer_sdk.helpers.capabilities import CapabilitiesEnum
    from singer_sdk.streams import Stream

STREAM_TYPES = (
    PhoneUsersStream,
    CallLogsStream,
    UserCallHistoryStream,
    AccountCallLogsStream,
    CallHistoryStream,
    CallElementsStream,
    RecordingsStream,
    VoicemailsStream,
    SmsSessionsStream,
    SmsMessagesStream,
    SitesStream,
    CallQueuesStream,
    AutoReceptionistsStream,
    CommonAreasStream,
    SharedLineGroupsStream,
    DevicesStream,
    CallQueueMembersStream,
    PhoneNumbersStream,
    EmergencyAddressesStream,
    UserSettingsStream,
    CallChargesStream,
    SmsChargesStream,
    RecordingTranscriptsStream,
    AiCallSummariesStream,
    CallQueueAnalyticsStream,
    CallQosStream,
)


class TapZoomPhone(Tap):
    """Zoom Phone call logs and call history, complete and incremental, within Zoom's limits."""

    name = "tap-zoomphone"
    config_jsonschema = SETTINGS
    message_writer_class = OrjsonWriter
    # The SDK's defaults less BATCH: records are written as Singer lines only.
    capabilities: t.ClassVar[list[CapabilitiesEnum]] = [
        TapCapabilities.CATALOG,
        TapCapabilities.STATE,
        TapCapabilities.DISCOVER,
        TapCapabilities.ACTIVATE_VERSION,
        PluginCapabilities.ABOUT,
        PluginCapabilities.STREAM_MAPS,
        PluginCapabilities.FLATTENING,
        PluginCapabilities.STRUCTURED_LOGGING,
    ]

    def __init__(self, *args: t.Any, validate_config: bool = True, **kwargs: t.Any) -> None:  # noqa: ANN401  # the SDK's signature
        """Check the settings as a whole before anything is requested (not for discovery).

        Then set the level of the SDK's METRIC lines, if `metrics_log_level` says one.
        """
        # Settings checks the same schema and says the first problem in one line; the SDK's
        # check would raise one line per schema error.
        super().__init__(*args, validate_config=False, **kwargs)
        if validate_config:
            if self.settings.metrics_log_level is not None:
                # The SDK set this logger to the tap's log level; the setting says otherwise.
                self.metrics_logger.setLevel(self.settings.metrics_log_level.upper())
            self._check_catalog()

    @cached_property
    def settings(self) -> Settings:
        """The validated settings of this run."""
        return Settings.from_config(self.config)

    @cached_property
    def zoom(self) -> ZoomRun:
        """Zoom's API client and the user directory, shared by all streams of the run."""
        return ZoomRun.start(self.settings, user_agent=f"{self.name}/{self.plugin_version}")

    def _check_catalog(self) -> None:
        """A catalog selecting a stream this tap does not have is a mistake worth stopping for."""
        if self.input_catalog is None:
            return
        unknown = [
            entry.tap_stream_id
            for entry in self.input_catalog.streams
            if entry.tap_stream_id not in self.streams and entry.metadata.root.selected
        ]
        if unknown:
            msg = (
                f"The catalog selects streams tap-zoomphone does not have: {', '.join(unknown)}. "
                f"Its streams are: {', '.join(self.streams)}."
            )
            raise ConfigError(msg)

    @override
    def discover_streams(self) -> list[Stream]:
        return [stream_type(self) for stream_type in STREAM_TYPES]

    @override
    @classmethod
    def invoke(cls, *args: t.Any, **kwargs: t.Any) -> None:  # the SDK's arguments, passed on
        """The SDK's run; then Zoom's connections close, and the run ends as on_daily_limit says."""
        try:
            super().invoke(*args, **kwargs)
        finally:
            runs = ZoomRun.close_all()
        for run in runs:
            run.raise_for_outcome(cls.logger)
