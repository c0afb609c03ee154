"""Long form: a ~10-minute file of joined shared clips. Plain sequential faster-whisper and
faster-whisper's own BatchedInferencePipeline (the fastest CPU peer on the same weights)
against seespeech's default, in the same run, for each model; Moonshine's long-form path beside
them when the moonshine extra is installed.

    python bench/longform.py [--minutes 10] [--models tiny.en base] [--rounds 3] [--moonshine tiny]

Each round runs every way once, in the same order; the table gives the median wall time of the
rounds and their spread (fastest–slowest), and the ratios of the medians. The peer runs twice:
as it is by default (one segment per ≤ 30 s chunk, no word-timing pass) and with
``word_timestamps=True`` (what it needs to give sentence-sized segments, as ours are).
The peers run in this process, after ``import seespeech`` has set the C heap (one heap for every
thread, large blocks reused: src/seespeech/memory.py), which makes them faster too; run apart
with glibc's defaults, as their users run them, they are slower (docs/benchmarks.md).
Targets (issue 38, 2 cores, same run): base ≥ 3.3× plain and ≥ 1.5× faster-whisper batched,
tiny.en ≥ 1.6× batched; WER within +0.1 point of plain.
"""

import argparse
import os
import statistics
import time

from faster_whisper import BatchedInferencePipeline, WhisperModel

import seespeech
from common import long_file
from seespeech.speech.evaluate import score
from seespeech.models import resolve_model

PLAIN, PEER = "plain sequential", "faster-whisper batched (8)"


def whisper_ways(name: str, path, sequential: bool) -> dict:
    plain = WhisperModel(str(resolve_model(name)), device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
    peer = BatchedInferencePipeline(plain)
    ways = {
        PLAIN: lambda: "".join(s.text for s in plain.transcribe(str(path), language="en", beam_size=5)[0]),
        PEER: lambda: "".join(s.text for s in peer.transcribe(str(path), language="en", beam_size=5, batch_size=8)[0]),
        PEER + ", word timings": lambda: "".join(
            s.text for s in peer.transcribe(str(path), language="en", beam_size=5, batch_size=8,
                                            word_timestamps=True)[0]),
    }
    if sequential:
        ways["seespeech --batch-size 0"] = lambda: seespeech.transcribe(path, model=name, language="en",
                                                                        batch_size=0).text
    ways["seespeech default"] = lambda: seespeech.transcribe(path, model=name, language="en").text
    return ways


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sequential", action="store_true", help="also seespeech --batch-size 0")
    parser.add_argument("--moonshine", nargs="*", default=["tiny"], metavar="MODEL",
                        help="moonshine models to run beside Whisper (none: --moonshine with no names)")
    args = parser.parse_args()
    audio, reference, path = long_file(args.minutes)
    print(f"file: {audio.size / 16000 / 60:.1f} min of joined cathy clips; {os.cpu_count()} cores; "
          f"{args.rounds} rounds (median, fastest–slowest)")
    rows = []
    for name in args.models:
        ways = whisper_ways(name, path, args.sequential)
        seespeech.transcribe(audio[:16000 * 70], model=name, language="en")   # loads both of its models
        rows.append((name, ways))
    for model in args.moonshine:
        try:
            engine = seespeech.load_engine("moonshine", model)
        except seespeech.SeespeechError as exc:
            print(f"moonshine {model}: skipped ({exc})")
            continue
        options = seespeech.TranscribeOptions(language="en")
        rows.append((f"moonshine {model}", {"seespeech default": lambda e=engine: e.transcribe(path, options).text}))
    for name, ways in rows:
        walls: dict[str, list[float]] = {label: [] for label in ways}
        wers: dict[str, float] = {}
        for _ in range(args.rounds):
            for label, way in ways.items():
                t = time.perf_counter()
                text = way()
                walls[label].append(time.perf_counter() - t)
                wers[label] = score([reference], [text]).wer
        median = {label: statistics.median(w) for label, w in walls.items()}
        for label in ways:
            ratios = ""
            if PLAIN in median:
                ratios = (f"  × plain {median[PLAIN] / median[label]:.2f}  × batched {median[PEER] / median[label]:.2f}"
                          f"  × batched with word timings {median[PEER + ', word timings'] / median[label]:.2f}"
                          f"  WER vs plain {100 * (wers[label] - wers[PLAIN]):+.2f}")
            print(f"{name:14s} {label:42s} WER {wers[label]:6.2%}  {median[label]:6.1f} s "
                  f"({min(walls[label]):.1f}–{max(walls[label]):.1f}){ratios}", flush=True)


if __name__ == "__main__":
    main()
