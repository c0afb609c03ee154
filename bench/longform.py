"""Long form: a ~10-minute file of joined shared clips. Plain sequential faster-whisper and
faster-whisper's own BatchedInferencePipeline (the fastest CPU peer on the same weights)
against seespeech's sequential mode and its default, in the same run.

    python bench/longform.py [--minutes 10] [--models tiny.en base] [--rounds 1] [--beam-sizes 5]

Each round runs every way once, in the same order; the best wall time of the rounds is kept.
Target (issue 23): ≥ 3× plain sequential at equal WER (±0.3 points), for both models.
"""

import argparse
import os
import time

from faster_whisper import BatchedInferencePipeline, WhisperModel

import seespeech
from common import long_file
from seespeech.speech.evaluate import score
from seespeech.models import resolve_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--beam-sizes", type=int, nargs="+", default=[5],
                        help="seespeech's default mode with these beam sizes (5 is the default)")
    parser.add_argument("--no-sequential", action="store_true", help="skip seespeech --batch-size 0")
    args = parser.parse_args()
    audio, reference, path = long_file(args.minutes)
    print(f"file: {audio.size / 16000 / 60:.1f} min of joined cathy clips; {os.cpu_count()} cores")
    for name in args.models:
        plain = WhisperModel(str(resolve_model(name)), device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
        peer = BatchedInferencePipeline(plain)
        ways = {
            "plain sequential": lambda: "".join(
                s.text for s in plain.transcribe(str(path), language="en", beam_size=5)[0]),
            "faster-whisper batched (8)": lambda: "".join(
                s.text for s in peer.transcribe(str(path), language="en", beam_size=5, batch_size=8)[0]),
        }
        if not args.no_sequential:
            ways["seespeech --batch-size 0"] = lambda: seespeech.transcribe(path, model=name, language="en",
                                                                            batch_size=0).text
        for beam in args.beam_sizes:
            label = "seespeech default" + ("" if beam == 5 else f", beam {beam}")
            ways[label] = lambda beam=beam: seespeech.transcribe(path, model=name, language="en", beam_size=beam).text
        seespeech.transcribe(audio[:16000 * 70], model=name, language="en")   # loads both of its models
        walls: dict[str, float] = {}
        wers: dict[str, float] = {}
        for _ in range(args.rounds):
            for label, way in ways.items():
                t = time.perf_counter()
                text = way()
                walls[label] = min(walls.get(label, float("inf")), time.perf_counter() - t)
                wers[label] = score([reference], [text]).wer
        base, peer_wall = walls["plain sequential"], walls["faster-whisper batched (8)"]
        for label in ways:
            print(f"{name:8s} {label:28s} WER {wers[label]:6.2%} ({100 * (wers[label] - wers['plain sequential']):+.2f})"
                  f"  {walls[label]:6.1f} s  × plain {base / walls[label]:.2f}  × faster-whisper batched "
                  f"{peer_wall / walls[label]:.2f}", flush=True)


if __name__ == "__main__":
    main()
