"""A 5-second voice command through Home Assistant's Wyoming protocol vs the HTTP API, one server.

    python bench/home_assistant.py [--model base] [--rounds 10]

Starts `seespeech serve --wyoming tcp://127.0.0.1:PORT` and sends the same 5 s of speech (cathy
clips joined, 16 kHz 16-bit mono) each way, one request at a time: Wyoming as Home Assistant
streams it (100 ms audio-chunks, then audio-stop; timed from audio-stop to the transcript), and
HTTP as a client uploads it (a WAV to /v1/audio/transcriptions; timed from the request to the
answer). Prints the median and the spread of each.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import serverutil  # noqa: E402
from common import joined_speech  # noqa: E402


async def wyoming_once(port: int, pcm: bytes, model: str) -> tuple[float, str]:
    from wyoming.asr import Transcribe, Transcript
    from wyoming.audio import AudioChunk, AudioStart, AudioStop
    from wyoming.client import AsyncTcpClient

    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Transcribe(name=model, language="en").event())
        await client.write_event(AudioStart(rate=16000, width=2, channels=1).event())
        for start in range(0, len(pcm), 3200):
            await client.write_event(AudioChunk(rate=16000, width=2, channels=1, audio=pcm[start:start + 3200]).event())
        stopped = time.perf_counter()
        await client.write_event(AudioStop().event())
        while True:
            event = await client.read_event()
            if Transcript.is_type(event.type):
                return time.perf_counter() - stopped, Transcript.from_event(event).text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="base")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    samples, _ = joined_speech(5.0, folders=("cathy_dev",))
    samples = samples[:5 * 16000]
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    wav = io.BytesIO()
    soundfile.write(wav, samples, 16000, format="WAV", subtype="PCM_16")
    port = serverutil.free_port()
    with tempfile.TemporaryDirectory() as folder, \
            serverutil.running(Path(folder) / "data", "--model", args.model, "--wyoming", f"tcp://127.0.0.1:{port}",
                               "--model-ttl", "-1") as server:
        time.sleep(1.0)
        asyncio.run(wyoming_once(port, pcm, args.model))   # warm both paths
        httpx.post(server.url + "/v1/audio/transcriptions", files={"file": ("c.wav", wav.getvalue())}, timeout=120)
        timings = {"wyoming": [], "http": []}
        for _ in range(args.rounds):
            timings["wyoming"].append(asyncio.run(wyoming_once(port, pcm, args.model))[0])
            start = time.perf_counter()
            answer = httpx.post(server.url + "/v1/audio/transcriptions", files={"file": ("c.wav", wav.getvalue())},
                                data={"model": args.model, "language": "en"}, timeout=120)
            assert answer.status_code == 200, answer.text
            timings["http"].append(time.perf_counter() - start)
    for name, values in timings.items():
        print(f"{name:8} median {statistics.median(values):.3f} s  (min {min(values):.3f}, max {max(values):.3f}, "
              f"{len(values)} rounds, model {args.model})")


if __name__ == "__main__":
    main()
