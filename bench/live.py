"""Live speech: latency and accuracy of GET /v1/realtime on a real server, in real time.

    python bench/live.py [--clips 20] [--models tiny.en base]

20 cathy_dev clips joined with 1 s pauses are streamed into the WebSocket at real-time speed
in 100 ms chunks of 24 kHz PCM16 (as a microphone would), with server VAD at its defaults. For
each model, in the same run:

* latency from the end of each clip's audio to its ``...transcription.completed`` (p50, p95);
* time from the start of each clip's speech (its first 10 ms within 30 dB of its loud part:
  a clip's own lead-in of room tone is not speech) to its first ``...transcription.delta``;
* WER of the completed texts against the clips' texts, beside the WER of the same clips
  transcribed offline (``seespeech.transcribe``) by the same model on the same machine — from
  the original files, and from the audio as the server receives it (16 kHz → 24 kHz PCM16 →
  16 kHz: the round trip alone can change a word).

Targets (issue 19, 2 cores): tiny.en p95 ≤ 1.2 s and p50 ≤ 0.7 s; first delta ≤ 1.5 s after
speech starts; WER ≤ offline + 0.5 points.
"""

import argparse
import asyncio
import base64
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import websockets

import seespeech
from common import SPEECH
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech.evaluate import read_dataset, score
from seespeech.speech.live import Resampler, pcm16
from seespeech.speech.registry import split_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import serverutil  # noqa: E402

RATE = 24000
CHUNK_SECONDS = 0.1


async def stream(url: str, pcm: bytes, model: str, end: float, turn_detection: dict | None = None
                 ) -> tuple[float, list[dict]]:
    """Send ``pcm`` at real time; return the start time and every event with its arrival time
    (until 5 s after the audio's last clip ends: a clip may come as more than one turn)."""
    events: list[dict] = []
    async with websockets.connect(url, max_size=None) as ws:
        await ws.recv()
        audio_input = {"transcription": {"model": model, "language": "en"}}
        if turn_detection:   # the server's default: server_vad, 500 ms of silence
            audio_input["turn_detection"] = turn_detection
        await ws.send(json.dumps({"type": "session.update", "session": {"type": "transcription", "audio": {
            "input": audio_input}}}))
        await ws.recv()
        chunk = int(RATE * CHUNK_SECONDS) * 2
        start = time.monotonic()

        async def send():
            for i in range(0, len(pcm), chunk):
                await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                          "audio": base64.b64encode(pcm[i:i + chunk]).decode()}))
                await asyncio.sleep(max(0.0, start + (i + chunk) / 2 / RATE - time.monotonic()))

        sender = asyncio.create_task(send())
        committed, completed = set(), set()
        while time.monotonic() - start < end + 5 or committed - completed:
            try:
                event = json.loads(await asyncio.wait_for(ws.recv(), 1))
            except asyncio.TimeoutError:
                continue
            event["_at"] = time.monotonic() - start
            events.append(event)
            if event["type"] == "input_audio_buffer.committed":
                committed.add(event["item_id"])
            elif event["type"].endswith("transcription.completed"):
                completed.add(event["item_id"])
        await sender
    return start, events


def speech_onset(audio: np.ndarray) -> float:
    """Seconds into ``audio`` where its speech starts: the first 10 ms frame within 30 dB of the
    clip's loud frames (its 95th percentile)."""
    frames = audio[:audio.size // 160 * 160].reshape(-1, 160)
    level = 10 * np.log10((frames ** 2).mean(axis=1) + 1e-12)
    return float(np.argmax(level > np.percentile(level, 95) - 30)) * 160 / SAMPLE_RATE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=20)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"],
                        help="Whisper models, or other engines' (moonshine-tiny, moonshine-base)")
    parser.add_argument("--silence-ms", type=int, default=None,
                        help="turn_detection.silence_duration_ms (default: the server's, 500)")
    parser.add_argument("--semantic", nargs="?", const="auto", default=None, metavar="EAGERNESS",
                        help="turn_detection semantic_vad (eagerness auto, or low/medium/high)")
    parser.add_argument("--show", action="store_true", help="print the clips whose live text differs from offline")
    args = parser.parse_args()
    turn_detection = {"type": "semantic_vad", "eagerness": args.semantic} if args.semantic else \
        {"type": "server_vad", "silence_duration_ms": args.silence_ms} if args.silence_ms else None
    clips = read_dataset(SPEECH / "cathy_dev")[:args.clips]
    pause = np.zeros(SAMPLE_RATE, dtype=np.float32)
    parts, spans, onsets, at = [pause], [], [], pause.size
    for clip in clips:
        audio = load_audio(clip.path)
        parts += [audio, pause]
        spans.append((at / SAMPLE_RATE, (at + audio.size) / SAMPLE_RATE))
        onsets.append(at / SAMPLE_RATE + speech_onset(audio))
        at += audio.size + pause.size
    pcm = pcm16(np.concatenate(parts))
    references = [c.text for c in clips]
    print(f"{len(clips)} cathy_dev clips, {at / SAMPLE_RATE:.0f} s with 1 s pauses, streamed at real time")
    for model in args.models:
        engine = seespeech.load_engine(*split_model(model))   # tiny.en, base, moonshine-tiny, …
        options = seespeech.TranscribeOptions(language="en")
        offline = [engine.transcribe(load_audio(c.path), options).text for c in clips]
        # the same clips as the server receives them: 24 kHz PCM16, resampled to 16 kHz again
        received = [engine.transcribe(Resampler(RATE)(pcm16(load_audio(c.path))), options).text for c in clips]
        with serverutil.running(Path(tempfile.mkdtemp()) / "data", "--model", model) as server:
            url = server.url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
            _, events = asyncio.run(stream(url, pcm, model, spans[-1][1], turn_detection))
        completed = [e for e in events if e["type"].endswith("transcription.completed")]
        started = {e["item_id"]: e for e in events if e["type"] == "input_audio_buffer.speech_started"}
        first_delta: dict[str, float] = {}
        for e in events:
            if e["type"].endswith("transcription.delta"):
                first_delta.setdefault(e["item_id"], e["_at"])
        # each turn belongs to the clip its speech starts in (or the nearest): a clip said with a
        # pause inside may come as two turns; its latency is its last turn's, its first words its first's
        turns = sorted(((started[e["item_id"]]["audio_start_ms"] / 1000, e) for e in completed if e["item_id"] in started),
                       key=lambda pair: pair[0])
        by_clip: dict[int, list[dict]] = {}
        for begin, event in turns:
            k = min(range(len(spans)), key=lambda i: 0 if spans[i][0] <= begin + 0.35 <= spans[i][1] else
                    min(abs(spans[i][0] - begin), abs(spans[i][1] - begin)))
            by_clip.setdefault(k, []).append(event)
        latencies = [events_[-1]["_at"] - spans[k][1] for k, events_ in by_clip.items()]
        firsts = [first_delta[events_[0]["item_id"]] - onsets[k] for k, events_ in by_clip.items()
                  if events_[0]["item_id"] in first_delta]
        texts = [(k, " ".join(e["transcript"] for e in events_)) for k, events_ in sorted(by_clip.items())]
        live_wer = score([" ".join(references)], [" ".join(t for _, t in texts)]).wer
        offline_wer = score([" ".join(references)], [" ".join(offline)]).wer
        received_wer = score([" ".join(references)], [" ".join(received)]).wer
        if args.show:
            for k, text in texts:
                if text != offline[k]:
                    print(f"  clip {k}: live    {text}\n  {' ' * len(str(k))}        offline {offline[k]}")
        q = statistics.quantiles(latencies, n=20) if len(latencies) >= 2 else latencies * 19
        print(f"{model:8s} turns {len(completed)} for {len(clips)} clips  latency p50 {statistics.median(latencies):.2f} s "
              f"p95 {q[18]:.2f} s  first delta p50 {statistics.median(firsts) if firsts else float('nan'):.2f} s "
              f"max {max(firsts) if firsts else float('nan'):.2f} s  WER live {live_wer:.2%} offline {offline_wer:.2%} "
              f"(offline on the 24 kHz audio {received_wer:.2%})",
              flush=True)


if __name__ == "__main__":
    main()
