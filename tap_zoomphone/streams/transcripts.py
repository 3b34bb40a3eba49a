"""Recording transcripts, once Zoom has them (reading/transcripts.py: how late ones are kept)."""

from __future__ import annotations

from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.reading.transcripts import TranscriptStream
from tap_zoomphone.streams.media import RecordingsStream
from tap_zoomphone.zoom.pacing import LIGHT


class RecordingTranscriptsStream(TranscriptStream):
    """The transcript of every recording (JSON `timeline` of utterances), once Zoom has it.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/recordings/GET/phone/recording_transcript/download/{recordingId}
    Scopes: phone:read:admin or phone_recording:read:admin (granular
    phone:read:recording_transcript:admin), plus those of `recordings`. One Light request
    per recording (the file itself is fetched from Zoom's file host, not paced).
    """

    name = "recording_transcripts"
    primary_keys = ("recording_id",)
    listing = RecordingsStream.endpoint
    endpoint = Endpoint("/phone/recording_transcript/download/{recording_id}", LIGHT, ())
    bookmark = "date of the recordings, with lookback; pending ids"
    selected_by_default = False
