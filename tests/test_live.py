"""Live speech: the live transcriber, the realtime WebSocket (OpenAI's Realtime API in
transcription mode) on a real server with real clients, and ``seespeech listen``."""

import asyncio
import base64
import json
import time

import numpy as np
import pytest

import seespeech
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech.evaluate import normalise, read_dataset, score
from seespeech.speech.live import (
    Committed, Completed, Delta, LiveTranscriber, SpeechStarted, SpeechStopped, TurnDetection,
    finished_sentence, pcm16, play_at_real_time, same_word,
)

from conftest import DEMO, DEMO_TEXT, SPEECH, run_cli

import websockets   # a core dependency: its absence is a broken install, never a skip
PAUSE = np.zeros(SAMPLE_RATE, dtype=np.float32)


def joined(clips) -> np.ndarray:
    """Clips with a second of silence before, between and after them."""
    return np.concatenate([PAUSE] + [x for c in clips for x in (load_audio(c.path), PAUSE)])


@pytest.fixture(scope="module")
def clips():
    return read_dataset(SPEECH / "cathy_dev")[:3]


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_turns_partials_and_texts_as_the_speaker_talks(clips):
    engine = seespeech.load_engine("whisper", "tiny.en")
    options = seespeech.TranscribeOptions(language="en")
    events = []
    live = LiveTranscriber(engine, options, events.append)
    # at real time, as a speaker talks (twice as fast left a loaded machine no time for partials)
    play_at_real_time([joined(clips)], live.feed)
    live.close()
    kinds = [type(e) for e in events]
    assert kinds.count(SpeechStarted) == kinds.count(SpeechStopped) == kinds.count(Committed) == 3
    completed = [e for e in events if isinstance(e, Completed)]
    assert len(completed) == 3
    for turn in completed:   # per turn: started, stopped, committed, then its text
        order = [type(e) for e in events if getattr(e, "item_id", None) == turn.item_id]
        assert order.index(SpeechStarted) < order.index(SpeechStopped) < order.index(Committed) < order.index(Completed)
        assert all(k is Delta for k in order[order.index(SpeechStarted) + 1:order.index(Completed)]
                   if k not in (SpeechStopped, Committed))
    offline = [engine.transcribe(load_audio(c.path), options).text for c in clips]
    reference = [c.text for c in clips]
    assert score(reference, [e.transcript for e in completed]).wer <= score(reference, offline).wer + 0.02
    assert [e.previous_item_id for e in events if isinstance(e, Committed)][0] is None
    # partial text while talking: the words two decodes agreed on, never taken back
    deltas = [e for e in events if isinstance(e, Delta)]
    assert deltas, "no partial text at all"
    for turn in completed:
        said = "".join(d.delta for d in deltas if d.item_id == turn.item_id).split()
        final = turn.transcript.split()
        assert len(said) <= len(final) + 1


def test_silence_gives_no_turns_and_a_committed_silence_no_text():
    engine = seespeech.load_engine("whisper", "tiny.en")
    events = []
    live = LiveTranscriber(engine, seespeech.TranscribeOptions(language="en"), events.append)
    live.feed(np.zeros(3 * SAMPLE_RATE, dtype=np.float32))
    live.close()
    assert events == []
    events = []
    manual = LiveTranscriber(engine, seespeech.TranscribeOptions(), events.append, turn_detection=None)
    manual.feed(np.zeros(2 * SAMPLE_RATE, dtype=np.float32))
    manual.commit()
    manual.close()
    completed = [e for e in events if isinstance(e, Completed)]
    assert len(completed) == 1 and completed[0].transcript == ""   # no "Thank you." on silence


def test_turn_detection_settings_are_checked():
    with pytest.raises(seespeech.OptionError, match="threshold"):
        TurnDetection(threshold=1.5).validated()
    with pytest.raises(seespeech.OptionError, match="silence_duration_ms"):
        TurnDetection(silence_duration_ms=20).validated()
    with pytest.raises(seespeech.OptionError, match="eagerness"):
        TurnDetection(type="semantic_vad", eagerness="eager").validated()
    with pytest.raises(seespeech.OptionError, match="type"):
        TurnDetection(type="vad").validated()


@pytest.mark.parametrize("text, finished", [
    ("See you at five.", True), ("Are you there?", True), ('"Stop!" she cried.', True), ("He said \"go.\"", True),
    ("and then,", False), ("I'll call Dr.", False), ("It was Mr.", False), ("the letter J.", False),
    ("no punctuation at all", False), ("", False), ("...", False),
])
def test_a_finished_sentence_is_told_from_an_unfinished_one(text, finished):
    assert finished_sentence(text) is finished


class ScriptedEngine:
    """Says the same words for any audio, at once: the turn's end is all that is measured."""
    honours = frozenset()

    def __init__(self, text):
        self.text = text

    def transcribe(self, audio, options):
        return type("Result", (), {"text": self.text})()


def stop_after_speech(turn_detection, text) -> float:
    """Seconds of quiet after the demo clip's speech before its turn is declared over."""
    audio = np.concatenate([PAUSE, load_audio(DEMO), PAUSE, PAUSE])
    events, stops = [], []
    live = LiveTranscriber(ScriptedEngine(text), seespeech.TranscribeOptions(), events.append, turn_detection,
                           partials=False)
    frame = 512
    for i in range(0, audio.size, frame):
        live.feed(audio[i:i + frame])
        if any(isinstance(e, SpeechStopped) for e in events) and not stops:
            stops.append(live.samples)
        time.sleep(0.002)   # the worker's speculative decode answers between frames, as in real time
    live.close()
    stopped = [e for e in events if isinstance(e, SpeechStopped)]
    assert len(stopped) == 1 and stops
    return (stops[0] / SAMPLE_RATE) - stopped[0].audio_end_ms / 1000


def test_semantic_turn_detection_ends_a_finished_sentence_sooner_and_waits_for_an_unfinished_one():
    plain = stop_after_speech(TurnDetection(), "It ends here.")
    finished = stop_after_speech(TurnDetection(type="semantic_vad"), "It ends here.")
    unfinished = stop_after_speech(TurnDetection(type="semantic_vad"), "and it goes on,")
    eager = stop_after_speech(TurnDetection(type="semantic_vad", eagerness="high"), "and it goes on,")
    assert 0.15 <= finished <= 0.3 < 0.45 <= plain <= 0.6, (finished, plain)
    assert 0.75 <= unfinished <= 0.9 and 0.45 <= eager <= 0.6, (unfinished, eager)


class GrowingEngine:
    """Hears a word every 0.3 s of audio (a decode's last word with a full stop: the audio ended
    there) and answers at once, as a fast engine nearly does."""
    honours = frozenset()
    words = "Since then, some mysterious force has been fighting us".split()

    def transcribe(self, audio, options):
        heard = self.words[:int(audio.size / SAMPLE_RATE / 0.3)]
        text = " ".join(heard[:-1] + [heard[-1].rstrip(",") + "."]) if heard else ""
        return type("Result", (), {"text": text})()


def test_partials_agree_on_words_not_their_punctuation_and_a_fast_engine_starts_soon():
    """Two decodes agreeing on "Since" / "Since," / "since." agree on the word; a decode's last word
    goes out without the full stop that only says its audio ended; a new session of an engine
    known to be fast paces its partials at 0.1 s from its first turn on, so the first word is out
    well within half a second of the speech being detected (two decodes must agree on it)."""
    assert same_word("Since,", "since") and same_word("to-morrow", "tomorrow") and not same_word("Any,", "Anyway")
    engine = GrowingEngine()
    for _ in range(2):   # the second session starts with the first's measure of the engine
        audio = np.concatenate([PAUSE, load_audio(DEMO), PAUSE, PAUSE])
        events, fed = [], []
        live = LiveTranscriber(engine, seespeech.TranscribeOptions(), lambda e: events.append((len(fed), e)))
        for i in range(0, audio.size, 512):
            live.feed(audio[i:i + 512])
            fed.append(i)
            time.sleep(0.003)   # the worker decodes between frames, as in real time
        live.close()
    started = next(at for at, e in events if isinstance(e, SpeechStarted))
    deltas = [(at, e.delta) for at, e in events if isinstance(e, Delta)]
    said = "".join(d for _, d in deltas).split()
    assert len(said) >= 3 and all(map(same_word, said, engine.words)), said   # no word twice, none left out
    assert not any(word.endswith(".") for word in said), said
    assert (deltas[0][0] - started) * 512 / SAMPLE_RATE <= 0.5 - 0.3 + 0.15, deltas[0]   # 0.3 s: one word heard


# ---------------------------------------------------------------- the realtime WebSocket


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    import serverutil

    with serverutil.running(tmp_path_factory.mktemp("live") / "data", "--model", "tiny.en",
                            "--max-live-sessions", "2") as server:
        yield server


def ws_url(server) -> str:
    return server.url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"


async def _events_until(ws, done, timeout=60):
    seen = []
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        seen.append(event)
        if done(event, seen):
            return seen


def test_a_spoken_session_in_openais_ga_events(live_server, clips):
    audio = pcm16(joined(clips[:2]))

    async def session():
        async with websockets.connect(ws_url(live_server)) as ws:
            created = json.loads(await ws.recv())
            assert created["type"] == "session.created" and created["event_id"].startswith("event_")
            assert created["session"]["object"] == "realtime.transcription_session"
            assert created["session"]["audio"]["input"]["turn_detection"]["type"] == "server_vad"
            await ws.send(json.dumps({"type": "session.update", "session": {"type": "transcription", "audio": {
                "input": {"transcription": {"model": "gpt-4o-transcribe", "language": "en"}}}}}))
            updated = json.loads(await ws.recv())
            assert updated["type"] == "session.updated"
            assert updated["session"]["audio"]["input"]["transcription"]["language"] == "en"

            async def send():
                start = time.monotonic()
                for i in range(0, len(audio), 4800):   # 100 ms at 24 kHz, twice real time
                    await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                              "audio": base64.b64encode(audio[i:i + 4800]).decode()}))
                    await asyncio.sleep(max(0.0, start + (i + 4800) / 48000 / 2 - time.monotonic()))

            sender = asyncio.create_task(send())
            seen = await _events_until(ws, lambda e, s: sum(x["type"] == "conversation.item.done" for x in s) == 2)
            await sender
            return seen

    seen = asyncio.run(session())
    completed = [e for e in seen if e["type"] == "conversation.item.input_audio_transcription.completed"]
    assert len(completed) == 2 and all(e["usage"]["type"] == "duration" for e in completed)
    assert score([c.text for c in clips[:2]], [e["transcript"] for e in completed]).wer < 0.1
    for event in completed:
        item = event["item_id"]
        order = [e["type"] for e in seen if e.get("item_id") == item or e.get("item", {}).get("id") == item]
        expected = ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
                    "input_audio_buffer.committed", "conversation.item.added",
                    "conversation.item.input_audio_transcription.completed", "conversation.item.done"]
        assert [t for t in order if not t.endswith(".delta")] == expected, order
    stopped = [e for e in seen if e["type"] == "input_audio_buffer.speech_stopped"]
    started = [e for e in seen if e["type"] == "input_audio_buffer.speech_started"]
    assert 500 <= started[0]["audio_start_ms"] <= 1100 and stopped[0]["audio_end_ms"] > started[0]["audio_start_ms"]
    assert len({e["event_id"] for e in seen}) == len(seen)


def test_beta_dialect_with_manual_commit_at_16_khz(live_server):
    async def session():
        headers = {"OpenAI-Beta": "realtime=v1"}
        async with websockets.connect(ws_url(live_server), additional_headers=headers) as ws:
            assert json.loads(await ws.recv())["type"] == "transcription_session.created"
            await ws.send(json.dumps({"type": "transcription_session.update", "session": {
                "input_audio_format": "pcm16", "turn_detection": None,
                "input_audio_transcription": {"model": "whisper-1"}}}))
            updated = json.loads(await ws.recv())
            assert updated["type"] == "transcription_session.updated" and updated["session"]["turn_detection"] is None
            await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                      "audio": base64.b64encode(pcm16(load_audio(DEMO))).decode()}))
            await ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
            return await _events_until(ws, lambda e, s: e["type"].endswith(".completed"))

    seen = asyncio.run(session())
    kinds = [e["type"] for e in seen]
    assert kinds[:2] == ["input_audio_buffer.committed", "conversation.item.created"]
    assert "input_audio_buffer.speech_started" not in kinds
    assert normalise(seen[-1]["transcript"]) == normalise(DEMO_TEXT)


def test_bad_events_get_an_error_and_the_session_goes_on(live_server):
    bad = [
        ("{not json", "invalid_json"),
        (json.dumps({"no": "type"}), "invalid_event"),
        (json.dumps({"type": "response.create"}), "invalid_event"),
        (json.dumps({"type": "teleport"}), "invalid_event"),
        (json.dumps({"type": "input_audio_buffer.append", "audio": "***"}), "invalid_base64"),
        (json.dumps({"type": "input_audio_buffer.commit"}), "input_audio_buffer_commit_empty"),
        (json.dumps({"type": "session.update", "session": {"type": "transcription", "audio": {"input": {
            "format": {"type": "audio/pcm", "rate": 8000}}}}}), "invalid_value"),
        (json.dumps({"type": "session.update", "session": {"type": "transcription", "audio": {"input": {
            "transcription": {"model": "large-v9"}}}}}), "model_not_found"),
        (json.dumps({"type": "input_audio_buffer.append",   # 40 s at once: faster than real time
                     "audio": base64.b64encode(bytes(40 * 48000)).decode()}), "audio_too_fast"),
    ]

    async def session():
        async with websockets.connect(ws_url(live_server)) as ws:
            await ws.recv()
            answers = []
            for text, _ in bad:
                await ws.send(text)
                answers.append(json.loads(await asyncio.wait_for(ws.recv(), 30)))
            await ws.send(json.dumps({"type": "input_audio_buffer.clear", "event_id": "evt_1"}))
            answers.append(json.loads(await asyncio.wait_for(ws.recv(), 30)))
            return answers

    answers = asyncio.run(session())
    for (text, code), answer in zip(bad, answers):
        assert answer["type"] == "error" and answer["error"]["code"] == code, (text[:60], answer)
        assert answer["error"]["message"] and answer["error"]["type"] == "invalid_request_error"
    assert answers[-1]["type"] == "input_audio_buffer.cleared"   # still usable after all of that


def test_sessions_beyond_the_limit_are_refused_clearly(live_server):
    async def sessions():
        url = ws_url(live_server)
        async with websockets.connect(url) as one, websockets.connect(url) as two:
            await one.recv()
            await two.recv()
            async with websockets.connect(url) as three:
                refusal = json.loads(await three.recv())
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await three.recv()
                return refusal, closed.value.rcvd.code

    refusal, code = asyncio.run(sessions())
    assert refusal["type"] == "error" and refusal["error"]["code"] == "session_limit_reached"
    assert code == 1013


def test_the_api_key_as_header_or_browser_subprotocol(tmp_path):
    from fastapi.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from seespeech.server import Settings, create_app

    app = create_app(Settings(api_key="s3cret", data_dir=tmp_path / "data", preload=False))
    with TestClient(app) as client:
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect("/v1/realtime?intent=transcription"):
                pass
        assert refused.value.code == 1008
        with client.websocket_connect("/v1/realtime?intent=transcription",
                                      subprotocols=["realtime", "openai-insecure-api-key.s3cret"]) as ws:
            assert ws.accepted_subprotocol == "realtime"
            assert ws.receive_json()["type"] == "session.created"
        with client.websocket_connect("/v1/realtime?intent=transcription",
                                      headers={"Authorization": "Bearer s3cret"}) as ws:
            assert ws.receive_json()["type"] == "session.created"


def test_the_official_openai_realtime_client(live_server):
    openai = pytest.importorskip("openai")

    async def session():
        client = openai.AsyncOpenAI(api_key="local", base_url=live_server.url + "/v1", max_retries=0)
        async with client.realtime.connect(extra_query={"intent": "transcription"}) as connection:
            await connection.session.update(session={"type": "transcription", "audio": {"input": {
                "format": {"type": "audio/pcm", "rate": 24000}, "transcription": {"model": "whisper-1"},
                "turn_detection": None}}})
            await connection.input_audio_buffer.append(audio=base64.b64encode(pcm16(load_audio(DEMO))).decode())
            await connection.input_audio_buffer.commit()
            async for event in connection:
                if event.type == "conversation.item.input_audio_transcription.completed":
                    return event.transcript
                assert event.type != "error", event

    assert normalise(asyncio.run(session())) == normalise(DEMO_TEXT)


# ---------------------------------------------------------------- seespeech listen


def test_listen_from_a_file_prints_writes_and_draws(tmp_path, clips):
    import av

    path = tmp_path / "talk.wav"
    audio = joined(clips[:2])
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray((audio * 32767).astype(np.int16)[None], format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    result = run_cli("listen", "--from", str(path), "--speed", "3", "-m", "tiny.en", "--language", "en",
                     "-o", str(tmp_path / "talk.srt"), "--imagine", str(tmp_path / "pictures"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("[00:")
    assert score([c.text for c in clips[:2]], [line.split("] ", 1)[1] for line in lines]).wer < 0.1
    srt = (tmp_path / "talk.srt").read_text()
    assert srt.startswith("1\n00:00:0") and "\n2\n" in srt
    assert sorted(p.name for p in (tmp_path / "pictures").iterdir()) == [
        "listen-001.plan.json", "listen-001.png", "listen-002.plan.json", "listen-002.png"]
    window = run_cli("listen", "--from", str(DEMO), "--speed", "4", "--seconds", "5", "-m", "tiny.en")
    assert window.returncode == 0 and normalise(window.stdout.decode().split("] ", 1)[1]) == normalise(DEMO_TEXT)
    again = run_cli("listen", "--from", str(path), "-o", str(tmp_path / "talk.srt"))
    assert again.returncode != 0 and b"exists" in again.stderr   # nothing is overwritten silently


def test_listen_without_a_microphone_says_what_to_do():
    result = run_cli("listen", "--device", "no-such-device-anywhere")
    assert result.returncode == 6 and b"Traceback" not in result.stderr
    assert b"--from FILE" in result.stderr
