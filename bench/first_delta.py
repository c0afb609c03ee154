"""Streaming: when do the first words of a long file arrive?

    python bench/first_delta.py [--minutes 4] [--model base]

A file of joined shared clips is transcribed three ways, in the same run:

1. ``seespeech.stream(..., first_window=False)``: the plain lazy driver (the whole file is one
   window, decoded in batches: the first segment leaves when the first batch is done);
2. ``seespeech.stream(...)`` (``first_window`` on, the default for streaming): the first 30 s
   are decoded on their own;
3. the real server on loopback, ``POST /v1/audio/transcriptions`` with ``stream=true``: the
   first ``transcript.text.delta`` event against the ``transcript.text.done`` event.

For each: seconds to the first segment (or delta), total seconds, first/total, and WER
against the clips' texts. Target: the first delta before 30 % of the total time, at the
same WER (±0.3 points).
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

import seespeech
from common import long_file
from seespeech.speech.evaluate import score

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import serverutil  # noqa: E402


def timed_stream(path: Path, model: str, first_window: bool) -> tuple[float, float, str]:
    start = time.perf_counter()
    run = seespeech.stream(path, model=model, language="en", first_window=first_window)
    first = None
    for _ in run:
        first = first or time.perf_counter() - start
    return first or float("nan"), time.perf_counter() - start, run.result().text


def timed_server(path: Path, model: str) -> tuple[float, float, str]:
    with serverutil.running(Path(tempfile.mkdtemp()) / "data", "--model", model) as server:
        start = time.perf_counter()
        first, text = None, ""
        with open(path, "rb") as audio, httpx.stream(
            "POST", server.url + "/v1/audio/transcriptions", timeout=600,
            files={"file": (path.name, audio, "audio/flac")}, data={"stream": "true", "language": "en"},
        ) as response:
            for line in response.iter_lines():
                if line.startswith("data: ") and '"transcript.text.delta"' in line:
                    first = first or time.perf_counter() - start
                if '"transcript.text.done"' in line:
                    text = json.loads(line[6:])["text"]
        return first or float("nan"), time.perf_counter() - start, text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=4)
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    audio, reference, path = long_file(args.minutes)
    print(f"file: {audio.size / 16000 / 60:.1f} min of joined cathy clips, model {args.model}")
    seespeech.load_engine("whisper", args.model)  # loaded before timing
    runs = [("stream, one window", lambda: timed_stream(path, args.model, False)),
            ("stream, first window 30 s", lambda: timed_stream(path, args.model, True)),
            ("server SSE (stream=true)", lambda: timed_server(path, args.model))]
    for label, run in runs:
        first, total, text = run()
        print(f"{label:27s} first {first:6.1f} s  total {total:6.1f} s  first/total {first / total:6.1%}  "
              f"WER {score([reference], [text]).wer:6.2%}", flush=True)


if __name__ == "__main__":
    main()
