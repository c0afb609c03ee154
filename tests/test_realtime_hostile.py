"""The realtime WebSocket under hostile clients (issue 31, items 6–8): every bad event gets an
``error`` event, never a dropped socket, and the same session still transcribes afterwards;
the documented 15 MiB append fits in a frame; settings that would break every later turn are
refused when they are sent; a ``session.update`` mid-turn applies from the next turn.

One real server (the frame limit is uvicorn's), one short clip transcribed per session."""

import asyncio
import base64
import json

import pytest

from seespeech.audio import load_audio
from seespeech.speech.evaluate import normalise
from seespeech.speech.live import pcm16

from conftest import DEMO, DEMO_TEXT

websockets = pytest.importorskip("websockets")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import serverutil

    with serverutil.running(tmp_path_factory.mktemp("hostile") / "data", "--model", "tiny.en",
                            "--max-live-sessions", "3") as server:
        yield server


@pytest.fixture(scope="module")
def demo_pcm() -> bytes:
    return pcm16(load_audio(DEMO))


def ws_url(server) -> str:
    return server.url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"


def update(**input_fields) -> str:
    return json.dumps({"type": "session.update", "session": {"type": "transcription",
                                                             "audio": {"input": input_fields}}})


def append(raw: bytes) -> str:
    return json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(raw).decode()})


async def answer(ws, timeout=30) -> dict:
    """The next event, or what the close says (a dropped socket fails here, naming the case)."""
    try:
        return json.loads(await asyncio.wait_for(ws.recv(), timeout))
    except websockets.ConnectionClosed as closed:
        return {"type": "closed", "code": closed.rcvd.code if closed.rcvd else 1006}


async def errors_then_transcribes(ws, bad: list[tuple[str, str | None]], pcm: bytes) -> None:
    """Each bad frame gets an ``error`` event (with this code when one is given); then the same
    session transcribes the demo clip."""
    for text, code in bad:
        await ws.send(text)
        got = await answer(ws)
        assert got["type"] == "error", (text[:80], got)
        assert got["error"]["message"] and got["error"]["type"] in ("invalid_request_error", "server_error")
        assert code is None or got["error"]["code"] == code, (text[:80], got)
    await transcribes(ws, pcm)


async def transcribes(ws, pcm: bytes) -> None:
    await ws.send(update(turn_detection=None))
    got = await answer(ws)
    assert got["type"] == "session.updated", got
    await ws.send(append(pcm))
    await ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
    while True:
        got = await answer(ws, 60)
        assert got["type"] not in ("error", "closed") and not got["type"].endswith(".failed"), got
        if got["type"].endswith(".completed"):
            assert normalise(got["transcript"]) == normalise(DEMO_TEXT)
            return


def run_session(server, body) -> None:
    async def session():
        async with websockets.connect(ws_url(server)) as ws:
            assert (await answer(ws))["type"] == "session.created"
            await body(ws)

    asyncio.run(session())


# ---------------------------------------------------------------- item 6: bad events


def test_bad_session_fields_get_an_error_and_the_session_goes_on(server, demo_pcm):
    raw = '{"type": "session.update", "session": {"type": "transcription", "audio": {"input": %s}}}'
    bad = [
        (raw % '"x"', "invalid_value"),
        (raw % "[1, 2]", "invalid_value"),
        (raw % "5", "invalid_value"),
        (raw % '{"transcription": {"language": 5}}', "invalid_value"),
        (raw % '{"transcription": {"language": ["en"]}}', "invalid_value"),
        (raw % '{"turn_detection": {"silence_duration_ms": 1e400}}', "invalid_value"),
        (raw % '{"turn_detection": {"threshold": NaN}}', "invalid_value"),
        (raw % '{"turn_detection": {"prefix_padding_ms": true}}', "invalid_value"),
        (raw % '{"turn_detection": {"type": "semantic_vad", "eagerness": "eager"}}', "invalid_value"),
        (raw % '{"turn_detection": {"type": "push_to_talk"}}', "invalid_value"),
        (raw % '{"transcription": {"model": "\\ud800"}}', "model_not_found"),
        (raw % '{"format": "pcm16"}', "invalid_value"),
        (json.dumps({"type": "session.update", "session": {"type": "transcription", "audio": "x"}}), "invalid_value"),
        (json.dumps({"type": "session.update", "session": {"type": "transcription", "include": ["a", 5]}}),
         "invalid_value"),
        (json.dumps({"type": "transcription_session.update", "session": {"input_audio_transcription": "x"}}),
         "invalid_value"),
        (json.dumps({"type": "transcription_session.update", "session": {"turn_detection": {"threshold": "x"}}}),
         "invalid_value"),
        ('{"type": "\\ud800"}', "invalid_event"),
    ]
    run_session(server, lambda ws: errors_then_transcribes(ws, bad, demo_pcm))


def test_semantic_turn_detection_is_taken_and_described(server, demo_pcm):
    async def body(ws):
        await ws.send(update(turn_detection={"type": "semantic_vad", "eagerness": "high"}))
        got = await answer(ws)
        assert got["type"] == "session.updated", got
        turn = got["session"]["audio"]["input"]["turn_detection"]
        assert turn["type"] == "semantic_vad" and turn["eagerness"] == "high" and "silence_duration_ms" not in turn
        await ws.send(update(turn_detection={"type": "server_vad"}))
        turn = (await answer(ws))["session"]["audio"]["input"]["turn_detection"]
        assert turn["type"] == "server_vad" and turn["silence_duration_ms"] == 500
        await transcribes(ws, demo_pcm)

    run_session(server, body)


def test_a_rejected_update_changes_nothing(server, demo_pcm):
    async def body(ws):
        # a good rate with a bad language: neither applies
        await ws.send(update(format={"type": "audio/pcm", "rate": 16000}, transcription={"language": 5}))
        assert (await answer(ws))["type"] == "error"
        await ws.send(update())
        got = await answer(ws)
        assert got["type"] == "session.updated"
        assert got["session"]["audio"]["input"]["format"]["rate"] == 24000
        await transcribes(ws, demo_pcm)

    run_session(server, body)


def test_frames_json_cannot_read_get_an_error(server, demo_pcm):
    bad = [
        ("[" * 100_000 + "]" * 100_000, "invalid_json"),     # json's RecursionError
        ('{"type": "session.update", "x": ' + "1" * 5000 + "}", "invalid_json"),   # int digits limit
        ("[1, 2]", "invalid_event"),
    ]
    run_session(server, lambda ws: errors_then_transcribes(ws, bad, demo_pcm))


def test_appends_of_no_whole_samples_get_an_error(server, demo_pcm):
    bad = [
        (json.dumps({"type": "input_audio_buffer.append", "audio": ""}), "invalid_audio"),
        (append(b"\x01"), "invalid_audio"),
        (append(b"\x01\x02\x03"), "invalid_audio"),
        (json.dumps({"type": "input_audio_buffer.append", "audio": None}), "invalid_value"),
    ]
    run_session(server, lambda ws: errors_then_transcribes(ws, bad, demo_pcm))


# ---------------------------------------------------------------- item 7: the 15 MiB append


def test_a_15_mib_append_fits_in_a_frame_and_more_gets_an_error(server, demo_pcm):
    limit = 15 * 1024 * 1024

    async def body(ws):
        # 15 MiB (5.5 min at 24 kHz) is read and judged: here too far ahead of the clock for a new session
        await ws.send(append(bytes(limit)))
        got = await answer(ws, 60)
        assert got["type"] == "error" and got["error"]["code"] == "audio_too_fast", got
        await ws.send(append(bytes(limit + 2)))
        got = await answer(ws, 60)
        assert got["type"] == "error" and got["error"]["code"] == "audio_too_large", got
        await transcribes(ws, demo_pcm)

    run_session(server, body)

    async def oversized():   # a frame beyond any append: closed properly (1009), not dropped
        async with websockets.connect(ws_url(server)) as ws:
            await answer(ws)
            await ws.send("[" + " " * (24 * 1024 * 1024) + "]")
            return await answer(ws)

    assert asyncio.run(oversized()) == {"type": "closed", "code": 1009}


# ---------------------------------------------------------------- item 8: settings that break later turns


def test_settings_that_would_break_every_turn_are_refused_when_sent(server, demo_pcm):
    bad = [
        (update(transcription={"prompt": {"text": "hi"}}), "invalid_value"),
        (update(transcription={"prompt": ["hi"]}), "invalid_value"),
        (update(transcription={"model": "tiny.en", "language": "de"}), "invalid_value"),
        (update(transcription={"language": "de"}), "invalid_value"),   # whisper-1 is tiny.en here
    ]

    async def body(ws):
        for text, code in bad:
            await ws.send(text)
            got = await answer(ws)
            assert got["type"] == "error" and got["error"]["code"] == code, (text, got)
            if "language" in text:
                assert "English-only" in got["error"]["message"] and "'de'" in got["error"]["message"]
                assert got["error"]["param"].endswith("transcription.language")
        for threshold in (0, 1, 0.0, 1.0):   # OpenAI's range, both ends included
            await ws.send(update(turn_detection={"type": "server_vad", "threshold": threshold}))
            got = await answer(ws)
            assert got["type"] == "session.updated", got
            assert got["session"]["audio"]["input"]["turn_detection"]["threshold"] == threshold
        await ws.send(update(turn_detection={"type": "server_vad", "threshold": 1.01}))
        got = await answer(ws)
        assert got["type"] == "error" and "between 0 and 1" in got["error"]["message"]
        await ws.send(update(transcription={"language": "en", "prompt": "A red bird."}))
        assert (await answer(ws))["type"] == "session.updated"
        await transcribes(ws, demo_pcm)

    run_session(server, body)


def test_an_update_mid_turn_applies_from_the_next_turn(server, demo_pcm):
    half = len(demo_pcm) * 2 // 5 // 2 * 2   # inside "sitting on a branch"
    silence = bytes(24000 * 2 * 2)           # 2 s: the turn ends

    async def body(ws):
        await ws.send(append(demo_pcm[:half]))
        await ws.send(update(transcription={"prompt": "Birds.", "language": "en"},
                             turn_detection={"type": "server_vad", "silence_duration_ms": 600}))
        await ws.send(append(demo_pcm[half:] + silence))
        completed, updated = [], 0
        while not completed:
            got = await answer(ws, 60)
            assert got["type"] not in ("error", "closed"), got
            updated += got["type"] == "session.updated"
            if got["type"].endswith(".completed"):
                completed.append(got["transcript"])
        assert updated == 1
        assert normalise(completed[0]) == normalise(DEMO_TEXT)   # one turn, nothing cut
        # the new settings hold for the turn after it
        await ws.send(append(silence + demo_pcm + silence))
        while True:
            got = await answer(ws, 60)
            assert got["type"] not in ("error", "closed"), got
            if got["type"].endswith(".completed"):
                assert normalise(got["transcript"]) == normalise(DEMO_TEXT)
                break

    run_session(server, body)
