"""Home Assistant's Wyoming protocol (issue 36.1), driven with the wyoming package's own client
the way Home Assistant's integration drives it: describe, then transcribe / synthesize."""

from __future__ import annotations

import asyncio

import pytest
import soundfile
from wyoming.asr import Transcribe, Transcript, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.info import Describe, Info
from wyoming.tts import Synthesize

from conftest import SPEECH, run_cli
from serverutil import free_port
from seespeech.server.wyoming import serve_wyoming


async def _events_until(client, kind, limit: float = 120) -> list:
    seen = []
    while True:
        event = await asyncio.wait_for(client.read_event(), limit)
        assert event is not None, "the server hung up"
        seen.append(event)
        if kind.is_type(event.type) or Error.is_type(event.type):
            return seen


async def _send_audio(client, pcm: bytes, rate: int, channels: int) -> None:
    await client.write_event(AudioStart(rate=rate, width=2, channels=channels).event())
    step = 2 * channels * rate // 10   # 100 ms chunks, as a satellite streams them
    for start in range(0, len(pcm), step):
        await client.write_event(AudioChunk(rate=rate, width=2, channels=channels, audio=pcm[start:start + step]).event())
    await client.write_event(AudioStop().event())


async def _session(port: int, http_text: str) -> None:
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Describe().event())
        info = Info.from_event((await _events_until(client, Info))[-1])
        models = {m.name: m for m in info.asr[0].models}
        assert "tiny.en" in models and models["tiny.en"].languages == ["en"] and "de" in models["base"].languages
        assert info.asr[0].supports_transcript_streaming and info.tts[0].voices[0].name == "joe"

        # a 44.1 kHz stereo recording, sent as it is: converted by the server
        jfk, rate = soundfile.read(SPEECH / "formats" / "jfk.flac", dtype="int16")
        assert rate == 44100 and jfk.shape[1] == 2
        pcm = jfk.astype("<i2").tobytes()
        await client.write_event(Transcribe(name="tiny.en", language="en").event())
        await _send_audio(client, pcm, 44100, 2)
        events = await _events_until(client, Transcript)
        kinds = [e.type for e in events]
        assert kinds[0] == TranscriptStart(language="en").event().type and TranscriptStop().event().type in kinds
        chunks = [TranscriptChunk.from_event(e).text for e in events if TranscriptChunk.is_type(e.type)]
        text = Transcript.from_event(events[-1]).text
        assert "ask not what your country can do for you" in text.lower() and "".join(chunks).strip() == text.strip()

        # the HTTP API gives the same text for the same recording
        assert text.strip() == http_text.strip()

        # a name it does not serve, audio it cannot read: error events, and the connection goes on
        await client.write_event(Transcribe(name="nope").event())
        error = Error.from_event((await _events_until(client, Error))[-1])
        assert "not served" in error.text and error.code == "model_not_found"
        await client.write_event(AudioStart(rate=16000, width=2, channels=6).event())
        error = Error.from_event((await _events_until(client, Error))[-1])
        assert error.code == "unsupported_audio_format"
        await client.write_event(AudioChunk(rate=16000, width=2, channels=6, audio=b"\0" * 24).event())
        await client.write_event(AudioStop().event())

        # text → speech → text, round trip
        await client.write_event(Synthesize(text="There is a red bird on a branch.").event())
        events = await _events_until(client, AudioStop)
        start = AudioStart.from_event(events[0])
        spoken = b"".join(AudioChunk.from_event(e).audio for e in events if AudioChunk.is_type(e.type))
        assert start.width == 2 and start.channels == 1 and len(spoken) / 2 / start.rate > 1.0
        await client.write_event(Transcribe(language="en").event())
        await _send_audio(client, spoken, start.rate, 1)
        assert "red bird" in Transcript.from_event((await _events_until(client, Transcript))[-1]).text.lower()


def test_home_assistant_session(tmp_path):
    from fastapi.testclient import TestClient

    from seespeech.server import Settings, create_app

    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, model="tiny.en"))
    with TestClient(app) as client, (SPEECH / "formats" / "jfk.flac").open("rb") as audio:
        http_text = client.post("/v1/audio/transcriptions", files={"file": ("jfk.flac", audio)},
                                data={"model": "tiny.en", "language": "en"}).json()["text"]
    port = free_port()

    async def main():
        server = asyncio.create_task(serve_wyoming(f"tcp://127.0.0.1:{port}", "tiny.en"))
        await asyncio.sleep(0.5)
        try:
            await _session(port, http_text)
        finally:
            server.cancel()

    asyncio.run(main())


@pytest.mark.parametrize("uri", ["http://localhost:10300", "tcp://localhost", "10300"])
def test_a_bad_address_is_a_bad_option(uri):
    result = run_cli("wyoming", "--uri", uri)
    assert result.returncode == 2 and b"no Wyoming address" in result.stderr
